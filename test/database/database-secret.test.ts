/**
 * `ensureDatabaseSecret` against a Kubernetes API fake on loopback that keeps Secrets in memory, checks the
 * bearer token and answers as the API server does (404, 201, 409 AlreadyExists, 403 Forbidden).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { ensureDatabaseSecret, generatePassword, secretData } from '../../src/database/database-secret.ts';
import { inClusterApi } from '../../src/database/kubernetes-api.ts';
import { tempDir } from '../support/workspace.ts';

const TOKEN = 'service-account-token';
const SPEC = { namespace: 'pr-42', secret: 'api-database', host: 'api-postgres', port: 5432, database: 'api', user: 'api' };

interface FakeApi {
  url: string;
  secrets: Map<string, { stringData: Record<string, string> }>;
  requests: string[];
  /** Answer the next POST with 409 after storing nothing (another run won the race). */
  raceOnNextCreate: boolean;
  forbidden: boolean;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function startFakeApi(): Promise<FakeApi> {
  const state: FakeApi = { url: '', secrets: new Map(), requests: [], raceOnNextCreate: false, forbidden: false };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      state.requests.push(`${request.method} ${request.url}`);
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.headers.authorization !== `Bearer ${TOKEN}`) return reply(401, { kind: 'Status', message: 'Unauthorized' });
      if (state.forbidden)
        return reply(403, {
          kind: 'Status',
          message: 'secrets "api-database" is forbidden: User "system:serviceaccount:pr-42:database-credentials" cannot get resource "secrets"',
        });
      const match = /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?$/.exec(request.url ?? '');
      if (!match) return reply(404, { kind: 'Status', message: 'not found' });
      const [, namespace, name] = match;
      if (request.method === 'GET' && name) {
        const secret = state.secrets.get(`${namespace}/${name}`);
        return secret ? reply(200, secret) : reply(404, { kind: 'Status', message: `secrets "${name}" not found` });
      }
      if (request.method === 'POST' && !name) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const key = `${namespace}/${body.metadata.name}`;
        if (state.raceOnNextCreate || state.secrets.has(key)) {
          state.raceOnNextCreate = false;
          return reply(409, { kind: 'Status', reason: 'AlreadyExists', message: `secrets "${body.metadata.name}" already exists` });
        }
        state.secrets.set(key, body);
        return reply(201, body);
      }
      return reply(405, { kind: 'Status', message: 'method not allowed' });
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

describe('ensureDatabaseSecret', () => {
  it('creates the Secret with a random password and the connection as PG* variables and DATABASE_URL', async () => {
    const api = await startFakeApi();
    expect(await ensureDatabaseSecret({ url: api.url, token: TOKEN }, SPEC)).toBe('created');
    const { stringData } = api.secrets.get('pr-42/api-database')!;
    expect(stringData.PGPASSWORD).toMatch(/^[0-9a-f]{48}$/);
    expect(stringData).toEqual({
      PGHOST: 'api-postgres',
      PGPORT: '5432',
      PGDATABASE: 'api',
      PGUSER: 'api',
      PGPASSWORD: stringData.PGPASSWORD,
      DATABASE_URL: `postgresql://api:${stringData.PGPASSWORD}@api-postgres:5432/api`,
    });
    expect(api.requests).toEqual(['GET /api/v1/namespaces/pr-42/secrets/api-database', 'POST /api/v1/namespaces/pr-42/secrets']);
  });

  it('leaves an existing Secret alone, so the database keeps the password it was initialised with', async () => {
    const api = await startFakeApi();
    await ensureDatabaseSecret({ url: api.url, token: TOKEN }, SPEC);
    const first = api.secrets.get('pr-42/api-database')!.stringData.PGPASSWORD;
    expect(await ensureDatabaseSecret({ url: api.url, token: TOKEN }, SPEC)).toBe('exists');
    expect(api.secrets.get('pr-42/api-database')!.stringData.PGPASSWORD).toBe(first);
    expect(api.requests.filter((request) => request.startsWith('POST'))).toHaveLength(1);
  });

  it('counts a Secret another run created in between as existing', async () => {
    const api = await startFakeApi();
    api.raceOnNextCreate = true;
    expect(await ensureDatabaseSecret({ url: api.url, token: TOKEN }, SPEC)).toBe('exists');
  });

  it('says what the ServiceAccount lacks when the API refuses', async () => {
    const api = await startFakeApi();
    api.forbidden = true;
    await expect(ensureDatabaseSecret({ url: api.url, token: TOKEN }, SPEC)).rejects.toThrow(
      'cannot read Secret pr-42/api-database: HTTP 403: secrets "api-database" is forbidden: User "system:serviceaccount:pr-42:database-credentials" cannot get resource "secrets" (the Job\'s ServiceAccount needs "get" on this Secret and "create" on Secrets)',
    );
  });

  it('names the API it cannot reach', async () => {
    await expect(ensureDatabaseSecret({ url: 'http://127.0.0.1:1', token: TOKEN }, SPEC)).rejects.toThrow(
      /^GET \/api\/v1\/namespaces\/pr-42\/secrets\/api-database: cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:1: /,
    );
  });

  it('generates a new password for every Secret', () => {
    const passwords = new Set(Array.from({ length: 20 }, () => secretData(SPEC, generatePassword()).PGPASSWORD));
    expect(passwords.size).toBe(20);
  });
});

describe('inClusterApi', () => {
  it('reads the ServiceAccount token and CA of the pod', async () => {
    const directory = await tempDir();
    await writeFile(`${directory}/token`, `${TOKEN}\n`);
    await writeFile(`${directory}/ca.crt`, '-----BEGIN CERTIFICATE-----\n');
    expect(await inClusterApi({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, directory)).toEqual({
      url: 'https://10.96.0.1:443',
      token: TOKEN,
      ca: '-----BEGIN CERTIFICATE-----\n',
    });
  });

  it('refuses to run outside a pod', async () => {
    await expect(inClusterApi({})).rejects.toThrow('KUBERNETES_SERVICE_HOST is not set: this command runs inside a Kubernetes pod');
  });
});
