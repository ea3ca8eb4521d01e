// The baseline of the idle-memory figure: a Fastify process with one route, listening on loopback, nothing else.
// Plain JavaScript run by bare Node.js, as the compiled `dynenv serve` is. Prints its URL once listening.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`ready ${app.server.address().port}\n`);
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
