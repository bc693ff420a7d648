// The placeholder model server the EC2 and ECS paths start with: the EC2 hosts run it until the first
// CodeDeploy revision installs the real server, and the ECS task runs it (`python3 -c`) from a stock
// Python image, so the stack deploys and answers health checks without building an image first.
// Each prediction writes one CloudWatch embedded-metric-format line to stdout; on ECS the awslogs driver
// ships it to CloudWatch Logs, which turns it into the PredictionError metric the rollback alarm watches.

/** Python source of the server, listening on `port`; MODEL_VERSION, METRICS_NAMESPACE, SERVICE_NAME and PLATFORM come from the environment. */
export function modelServerSource(port: number): string {
  return `import json, os, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = os.environ.get("MODEL_VERSION", "bootstrap")
NAMESPACE = os.environ.get("METRICS_NAMESPACE", "ModelServing/Inference")
SERVICE = os.environ.get("SERVICE_NAME", "inference")
PLATFORM = os.environ.get("PLATFORM", "ec2")

def emit(prediction_error):
    print(json.dumps({
        "_aws": {"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [{"Namespace": NAMESPACE,
            "Dimensions": [["Service", "Platform"]], "Metrics": [{"Name": "PredictionError", "Unit": "None"}]}]},
        "Service": SERVICE, "Platform": PLATFORM, "ModelVersion": MODEL, "PredictionError": prediction_error,
    }), flush=True)

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/healthz":
            self._send(200, {"status": "ok", "model": MODEL})
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/predict":
            return self._send(404, {"error": "not found"})
        length = int(self.headers.get("Content-Length", "0"))
        try:
            features = json.loads(self.rfile.read(length) or b"{}").get("features", [])
            score = sum(float(x) for x in features) / max(len(features), 1)
            emit(0)
            self._send(200, {"model": MODEL, "score": score})
        except (ValueError, TypeError, AttributeError):
            emit(1)
            self._send(400, {"error": "features must be a list of numbers"})

ThreadingHTTPServer(("0.0.0.0", ${port}), Handler).serve_forever()
`;
}
