import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Request counters and latencies of one app, in Prometheus text at `/metrics`. */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'sdc_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  private readonly duration = new Histogram({ name: 'sdc_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'sdc_' });
  }

  /** Times every request; the route label is the matched route pattern, never the raw URL. */
  middleware(onFinish: (entry: { method: string; url: string; status: number; ms: number }) => void): RequestHandler {
    return (req, res, next) => {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        this.requests.inc({ method: req.method, route, status: String(res.statusCode) });
        this.duration.observe({ method: req.method, route }, seconds);
        onFinish({ method: req.method, url: req.originalUrl, status: res.statusCode, ms: seconds * 1000 });
      });
      next();
    };
  }
}
