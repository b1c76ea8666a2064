// Invoice routes (Express + TypeScript).
import express, { Request, Response } from 'express';
import { Pool } from 'pg';
import { exec, execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const router = express.Router();
const pool = new Pool();
const INVOICE_COLUMNS = 'id, number, amount';
const INVOICE_DIR = '/srv/invoices';

interface InvoiceFilter {
  customer: string;
  year: number;
}

function buildFilter(req: Request): InvoiceFilter {
  return { customer: String(req.query.customer), year: 2024 };
}

router.get('/invoices', async (req: Request, res: Response) => {
  const f = buildFilter(req);
  const sql = 'SELECT ' + INVOICE_COLUMNS + " FROM invoices WHERE customer = '" + f.customer + "'";
  // expect: CWE-89
  const r = await pool.query(sql);
  // safe: CWE-89
  const r2 = await pool.query('SELECT ' + INVOICE_COLUMNS + ' FROM invoices WHERE year = ' + f.year);
  // safe: CWE-89
  const r3 = await pool.query('SELECT id FROM invoices WHERE customer = $1', [f.customer]);
  res.json({ a: r.rows, b: r2.rows, c: r3.rows });
});

router.get('/invoices/:num/pdf', (req: Request, res: Response) => {
  const num: string = req.params.num;
  const file = path.join(INVOICE_DIR, num + '.pdf');
  // expect: CWE-22
  const data = fs.readFileSync(file);
  const base = path.basename(num);
  // safe: CWE-22
  const logo = fs.readFileSync(path.join(INVOICE_DIR, 'logo.png'));
  res.json({ size: data.length + logo.length, base });
});

router.post('/invoices/:num/print', (req: Request, res: Response) => {
  const printer: string = req.body.printer;
  // expect: CWE-78
  exec('lp -d ' + printer + ' /srv/invoices/latest.pdf', () => res.end());
});

router.post('/invoices/:num/print-safe', (req: Request, res: Response) => {
  const printer: string = req.body.printer;
  // safe: CWE-78
  execFile('lp', ['-d', printer, '/srv/invoices/latest.pdf'], () => res.end());
});

router.get('/invoices/note', (req: Request, res: Response) => {
  const note = req.query.note as string;
  // expect: CWE-79
  res.send(`<div class="note">${note}</div>`);
});

router.get('/invoices/count', (req: Request, res: Response) => {
  const n: number = parseInt(req.query.n as string, 10);
  // safe: CWE-79
  res.send(`<div class="count">${n}</div>`);
});

router.get('/invoices/back', (req: Request, res: Response) => {
  const back = req.query.back as string;
  // expect: CWE-601
  res.redirect(back);
});

export default router;
