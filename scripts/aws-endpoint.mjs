#!/usr/bin/env node
// Starts or stops an AWS endpoint for `npm run audit -- --endpoint-url ...` and the audit tests.
//   node scripts/aws-endpoint.mjs start   prints the endpoint URL on stdout
//   node scripts/aws-endpoint.mjs stop    stops the moto_server it started (pid file)
//   node scripts/aws-endpoint.mjs url     prints the URL of the running endpoint
// LocalStack is used when it answers at LOCALSTACK_ENDPOINT (default http://localhost:4566) and
// lists CodeDeploy (a LocalStack Pro service) as available; otherwise `moto_server` is started on a
// free 127.0.0.1 port in the background. State lives in AWS_ENDPOINT_STATE_DIR (default
// .aws-endpoint/ in the repository).
import { spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stateDir = process.env.AWS_ENDPOINT_STATE_DIR ?? join(root, ".aws-endpoint");
const pidFile = join(stateDir, "moto.pid");
const urlFile = join(stateDir, "url");
const logFile = join(stateDir, "moto.log");

async function get(url, timeoutMs) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  } catch {
    return undefined;
  }
}

async function localStackWithCodeDeploy(endpoint) {
  const answer = await get(`${endpoint.replace(/\/$/, "")}/_localstack/health`, 1500);
  if (!answer || answer.status !== 200) return false;
  try {
    const state = JSON.parse(answer.body).services?.codedeploy;
    if (state === "available" || state === "running") return true;
    console.error(
      `aws-endpoint: LocalStack answers at ${endpoint} but CodeDeploy is ${state ?? "not offered"} (a LocalStack Pro service); using moto instead.`,
    );
  } catch {
    /* not LocalStack */
  }
  return false;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function start() {
  if (existsSync(pidFile) && alive(Number(readFileSync(pidFile, "utf8")))) {
    process.stdout.write(`${readFileSync(urlFile, "utf8").trim()}\n`);
    return 0;
  }
  const localStack = process.env.LOCALSTACK_ENDPOINT ?? "http://localhost:4566";
  mkdirSync(stateDir, { recursive: true });
  if (await localStackWithCodeDeploy(localStack)) {
    writeFileSync(urlFile, `${localStack}\n`);
    rmSync(pidFile, { force: true });
    process.stdout.write(`${localStack}\n`);
    return 0;
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(logFile, "a");
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", log, log], detached: true });
  const failed = new Promise((resolve) => child.once("error", (error) => resolve(error)));
  child.unref();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const error = await Promise.race([failed, new Promise((resolve) => setTimeout(() => resolve(undefined), 200))]);
    if (error) {
      console.error(`aws-endpoint: no LocalStack at ${localStack} and moto_server could not be started: ${error.message}`);
      return 1;
    }
    if ((await get(`${url}/moto-api/`, 500))?.status === 200) {
      writeFileSync(pidFile, `${child.pid}\n`);
      writeFileSync(urlFile, `${url}\n`);
      console.error(`aws-endpoint: moto_server (pid ${child.pid}) listening; stop it with: node scripts/aws-endpoint.mjs stop`);
      process.stdout.write(`${url}\n`);
      return 0;
    }
  }
  console.error(`aws-endpoint: moto_server did not answer on ${url} within 20 s; see ${logFile}`);
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
  return 1;
}

function stop() {
  if (!existsSync(pidFile)) {
    console.error("aws-endpoint: no moto_server started by this script is running.");
    rmSync(urlFile, { force: true });
    return 0;
  }
  const pid = Number(readFileSync(pidFile, "utf8"));
  // The server was started detached, so it leads its own process group (the pyenv shim and python).
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, "SIGTERM");
      break;
    } catch {
      /* try the next form */
    }
  }
  rmSync(pidFile, { force: true });
  rmSync(urlFile, { force: true });
  console.error(`aws-endpoint: stopped moto_server (pid ${pid}).`);
  return 0;
}

function url() {
  if (!existsSync(urlFile)) {
    console.error("aws-endpoint: no endpoint is running; start one with: node scripts/aws-endpoint.mjs start");
    return 1;
  }
  process.stdout.write(readFileSync(urlFile, "utf8"));
  return 0;
}

const command = process.argv[2];
const commands = { start, stop, url };
if (!commands[command]) {
  console.error("usage: node scripts/aws-endpoint.mjs start|stop|url");
  process.exit(2);
}
process.exitCode = await commands[command]();
