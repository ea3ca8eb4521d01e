/**
 * GitHub App authentication in the fake: an app signs a JWT (RS256) with its private key and trades it for an
 * installation token at POST /app/installations/{installation_id}/access_tokens. The fake checks the JWT against
 * the app's public key, so a test proves the server really authenticates as an app (@octokit/auth-app).
 */
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { OperationRef } from './openapi.ts';
import { basicError, type InstallationTokenJson } from './resources.ts';
import type { RestResponse } from './routes.ts';

export const CREATE_INSTALLATION_TOKEN: OperationRef = {
  path: '/app/installations/{installation_id}/access_tokens',
  method: 'post',
};

export interface FakeApp {
  readonly appId: number;
  readonly installationId: number;
  readonly publicKey: KeyObject;
}

export class FakeAppAuthority {
  private readonly apps: FakeApp[] = [];
  /** Installation tokens handed out so far. */
  readonly issuedTokens: string[] = [];

  /** Registers an app and one installation of it. @param publicKeyPem the app's public key (PEM) */
  register(appId: number, installationId: number, publicKeyPem: string): void {
    this.apps.push({ appId, installationId, publicKey: createPublicKey(publicKeyPem) });
  }

  /** Answers POST /app/installations/{id}/access_tokens, minting a token via `grant` when the JWT is good. */
  createInstallationToken(path: string, authorization: string | undefined, now: Date, grant: (token: string) => void): RestResponse | undefined {
    const m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (!m) return undefined;
    const app = this.appOf(authorization);
    if (!app) {
      return { status: 401, body: basicError('A JSON web token could not be decoded'), operation: CREATE_INSTALLATION_TOKEN };
    }
    if (app.installationId !== Number(m[1])) {
      return { status: 404, body: basicError('Not Found'), operation: CREATE_INSTALLATION_TOKEN };
    }
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    this.issuedTokens.push(token);
    grant(token);
    const body: InstallationTokenJson = {
      token,
      expires_at: new Date(now.getTime() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      permissions: { pull_requests: 'read', metadata: 'read' },
      repository_selection: 'all',
    };
    return { status: 201, body, operation: CREATE_INSTALLATION_TOKEN };
  }

  /** The app whose key signed this `Bearer <jwt>`, if the JWT is well formed, signed, current and issued by it. */
  private appOf(authorization: string | undefined): FakeApp | undefined {
    const jwt = /^bearer\s+([\w-]+)\.([\w-]+)\.([\w-]+)$/i.exec(authorization ?? '');
    if (!jwt) return undefined;
    const [, header, payload, signature] = jwt as unknown as [string, string, string, string];
    let claims: { iss?: string | number; exp?: number; iat?: number };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    // JWT times are real seconds: @octokit/auth-app signs with the real clock.
    const nowSeconds = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp < nowSeconds) return undefined;
    if (typeof claims.iat !== 'number' || claims.iat > nowSeconds + 60) return undefined;
    const app = this.apps.find((a) => String(a.appId) === String(claims.iss));
    if (!app) return undefined;
    const signed = Buffer.from(`${header}.${payload}`);
    return verify('RSA-SHA256', signed, app.publicKey, Buffer.from(signature, 'base64url')) ? app : undefined;
  }
}
