/**
 * The reference: a bare node:http server answering each benchmarked request with the blog's exact status, headers
 * and body bytes, held in memory. Usage: node --import tsx bench/reference-server.ts <port> <responses.json>
 */
import fs from 'node:fs';
import http from 'node:http';

export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  /** Names and values in turn, as the blog sent them, minus those node:http writes itself (Date, Content-Length…). */
  rawHeaders: string[];
  bodyBase64: string;
}

const [port, file] = process.argv.slice(2);
const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as RecordedResponse[];
const answers = new Map(recorded.map((r) => {
  const body = Buffer.from(r.bodyBase64, 'base64');
  return [`${r.method} ${r.path}`, { status: r.status, headers: [...r.rawHeaders, 'Content-Length', String(body.length)], body }];
}));

http.createServer((req, res) => {
  const answer = answers.get(`${req.method} ${req.url}`);
  if (!answer) return res.writeHead(404).end();
  res.writeHead(answer.status, answer.headers).end(answer.body);
}).listen(Number(port), '127.0.0.1');
