// Session import/export endpoints (Express, TypeScript).
import express, { Request, Response } from 'express';
import * as serialize from 'node-serialize';
import * as yaml from 'js-yaml';
import { spawnSync, execSync } from 'child_process';
import * as fs from 'fs';

const router = express.Router();
const STATE_DIR = '/var/lib/app/state';

router.post('/session/import', (req: Request, res: Response) => {
  const blob: string = req.body.blob;
  // expect: CWE-502
  const obj = serialize.unserialize(Buffer.from(blob, 'base64').toString());
  // safe: CWE-502
  const parsed = JSON.parse(blob);
  res.json({ obj, parsed });
});

router.post('/session/yaml', (req: Request, res: Response) => {
  // safe: CWE-502
  const doc = yaml.load(req.body.doc, { schema: yaml.JSON_SCHEMA });
  res.json(doc);
});

router.get('/session/file', (req: Request, res: Response) => {
  const sid = req.query.sid as string;
  // expect: CWE-22
  const state = fs.readFileSync(STATE_DIR + '/' + sid + '.json', 'utf8');
  const n = parseInt(sid, 10);
  // safe: CWE-22
  const state2 = fs.readFileSync(STATE_DIR + '/' + n + '.json', 'utf8');
  res.send(state + state2);
});

router.post('/session/archive', (req: Request, res: Response) => {
  const opts: Record<string, string> = { name: req.body.name, fmt: 'gz' };
  // safe: CWE-78
  execSync('tar -c' + (opts.fmt === 'gz' ? 'z' : '') + 'f /tmp/sessions.tar ' + STATE_DIR);
  // expect: CWE-78
  execSync('cp /tmp/sessions.tar /archive/' + opts.name);
  // safe: CWE-78
  spawnSync('cp', ['/tmp/sessions.tar', '/archive/' + opts.name]);
  res.end();
});

router.get('/session/eval', (req: Request, res: Response) => {
  const expr = req.query.expr as string;
  if (false) {
    // safe: CWE-95
    eval(expr);
  }
  // expect: CWE-95
  const v = eval('(' + expr + ')');
  res.json({ v });
});

export default router;
