/**
 * Which Pod Security Standard level a service's pods need, from what dynenv.yaml lets them ask for, and which
 * setting asks for it. An environment whose level is lower refuses the pods at admission: synthesis says so first.
 */
import type { PodSecurityLevel } from './guardrails-schema.ts';
import { BASELINE_CAPABILITIES } from './pod-schema.ts';
import type { ServiceConfig } from './service-schema.ts';

const ORDER: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

export function admits(environment: PodSecurityLevel, needed: PodSecurityLevel): boolean {
  return ORDER.indexOf(environment) >= ORDER.indexOf(needed);
}

/** One setting of a service that needs more than `restricted`: where it is, what it does, the level it needs. */
export interface ElevatedSetting {
  readonly path: ReadonlyArray<string | number>;
  readonly what: string;
  readonly level: PodSecurityLevel;
}

export function elevatedSettings(service: ServiceConfig): ElevatedSetting[] {
  const security = service.securityContext;
  if (!security) return [];
  const settings: ElevatedSetting[] = [];
  if (security.runAsUser === 0) settings.push({ path: ['securityContext', 'runAsUser'], what: 'runs as root (runAsUser: 0)', level: 'baseline' });
  if (security.allowPrivilegeEscalation) {
    settings.push({ path: ['securityContext', 'allowPrivilegeEscalation'], what: 'allows privilege escalation', level: 'baseline' });
  }
  (security.capabilities?.add ?? []).forEach((capability, index) => {
    // A malformed name is reported by the schema; NET_BIND_SERVICE is the one capability restricted admits.
    if (capability === 'NET_BIND_SERVICE' || !/^[A-Z_]+$/.test(capability)) return;
    const baseline = (BASELINE_CAPABILITIES as readonly string[]).includes(capability);
    settings.push({
      path: ['securityContext', 'capabilities', 'add', index],
      what: `adds the capability ${capability}`,
      level: baseline ? 'baseline' : 'privileged',
    });
  });
  return settings;
}
