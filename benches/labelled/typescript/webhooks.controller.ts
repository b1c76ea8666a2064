// Webhook delivery and callback handling.
import express, { Request, Response } from 'express';
import axios from 'axios';
import fetch from 'node-fetch';

const router = express.Router();
const HOOK_HOST = 'https://hooks.example.com';

class Delivery {
  target: string;
  event: string;
  constructor(target: string) {
    this.target = target;
    this.event = 'ping';
  }
}

async function deliver(d: Delivery): Promise<number> {
  // expect: CWE-918
  const r = await axios.post(d.target, { event: d.event });
  return r.status;
}

router.post('/webhooks/test', async (req: Request, res: Response) => {
  const d = new Delivery(req.body.url);
  const status = await deliver(d);
  res.json({ status });
});

router.get('/webhooks/event', async (req: Request, res: Response) => {
  const d = new Delivery(req.query.url as string);
  // safe: CWE-918
  const r = await axios.post(HOOK_HOST + '/events/' + encodeURIComponent(d.event), {});
  res.json({ status: r.status });
});

router.get('/webhooks/fetch', async (req: Request, res: Response) => {
  const urls: string[] = [HOOK_HOST + '/health', req.query.u as string];
  // safe: CWE-918
  const a = await fetch(urls[0]);
  // expect: CWE-918
  const b = await fetch(urls[1]);
  res.json({ a: a.status, b: b.status });
});

router.get('/webhooks/path', async (req: Request, res: Response) => {
  const p = req.query.p as string;
  // safe: CWE-918
  const r = await fetch(`${HOOK_HOST}/deliveries/${encodeURIComponent(p)}`);
  res.json({ status: r.status });
});

router.get('/webhooks/done', (req: Request, res: Response) => {
  let next = req.query.next as string;
  next = '/webhooks';
  // safe: CWE-601
  res.redirect(next);
});

router.get('/webhooks/continue', (req: Request, res: Response) => {
  const params = new Map<string, string>();
  params.set('continue', req.query.continue as string);
  params.set('home', '/');
  // safe: CWE-601
  res.redirect(params.get('home') as string);
  // expect: CWE-601
  res.redirect(params.get('continue') as string);
});

router.post('/webhooks/transform', (req: Request, res: Response) => {
  const script: string = req.body.transform;
  // expect: CWE-95
  const fn = new Function('payload', script);
  res.json(fn(req.body.payload));
});

export default router;
