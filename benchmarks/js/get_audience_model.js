#!/usr/bin/env node
// GetAudienceModel throughput with the AWS SDK for JavaScript v2, the baseline
// that benchmarks/compare sets beside benchmarks/throughput (same output line).
// Usage: node get_audience_model.js --endpoint URL [--ca-file F] [--calls N]
//        [--in-flight K] [--warmup W] [--arn ARN]
// Finds aws-sdk through NODE_PATH (benchmarks/compare sets it to its npm cache).
'use strict';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1'; // keep stderr clean
const AWS = require('aws-sdk');
const fs = require('fs');
const http = require('http');
const https = require('https');

const opt = {
  endpoint: null, 'ca-file': null, calls: '3000', 'in-flight': '1', warmup: '200',
  arn: 'arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/0d4c6f2e-8a51-4b7e-9c3d-2f6a1e5b7c90',
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i].replace(/^--/, '');
  if (!(k in opt) || argv[i + 1] === undefined) { console.error(`bad argument ${argv[i]}`); process.exit(2); }
  opt[k] = argv[i + 1];
}
if (!opt.endpoint) { console.error('--endpoint URL is required'); process.exit(2); }
if (typeof AWS.CleanRoomsML !== 'function') {
  console.error(`aws-sdk ${AWS.VERSION} has no AWS.CleanRoomsML`); process.exit(3);
}
const calls = Number(opt.calls), inFlight = Number(opt['in-flight']), warmup = Number(opt.warmup);

// One keep-alive pool of K sockets, as the C++ client keeps one connection per in-flight call.
const secure = opt.endpoint.startsWith('https:');
const agentOpts = { keepAlive: true, maxSockets: inFlight };
if (secure && opt['ca-file']) agentOpts.ca = fs.readFileSync(opt['ca-file']);
const agent = secure ? new https.Agent(agentOpts) : new http.Agent(agentOpts);

const client = new AWS.CleanRoomsML({
  region: 'us-east-1',
  endpoint: opt.endpoint,
  credentials: new AWS.Credentials('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'),
  maxRetries: 2,
  httpOptions: { agent },
});

async function one(latencies) {
  const t0 = process.hrtime.bigint();
  const r = await client.getAudienceModel({ audienceModelArn: opt.arn }).promise();
  const t1 = process.hrtime.bigint();
  // Check the decoded response so a broken server or parser can't look fast.
  if (r.status !== 'ACTIVE' || r.name !== 'growth-lookalikes' || !(r.createTime instanceof Date))
    throw new Error(`unexpected response: ${JSON.stringify(r)}`);
  if (latencies) latencies.push(Number(t1 - t0) / 1000);
}

// K workers each awaiting one call at a time until `total` calls have started.
async function run(total, latencies) {
  let started = 0;
  const worker = async () => { while (started < total) { started++; await one(latencies); } };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

(async () => {
  await run(warmup, null);
  const latencies = [];
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await run(calls, latencies);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  const f = (x) => x.toFixed(1);
  console.log(`req_per_s=${f(calls / secs)} p50_us=${f(pct(latencies, 0.5))} p99_us=${f(pct(latencies, 0.99))}` +
              ` cpu_us_per_call=${f((cpu.user + cpu.system) / calls)} allocs_per_call=nan calls=${calls}`);
  agent.destroy();
})().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
