/** Shared by the webhook benchmark and its server process. */
export const BENCH_WEBHOOK_SECRET = 'bench-webhook-secret';
