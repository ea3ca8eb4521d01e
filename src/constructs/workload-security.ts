/**
 * The security contexts of a service's pods: the "restricted" Pod Security settings, relaxed only where the
 * service's `securityContext` says so (and the environments' podSecurity admits it, which the config checks).
 */
import * as kplus from 'cdk8s-plus-28';
import type { SecurityContextConfig } from '../config/pod-schema.ts';

/** Uid and gid the containers run as by default: the "nonroot" user of distroless and Chainguard images. */
export const RUN_AS_USER = 65532;

export interface ResolvedSecurity {
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup: number;
  readonly readOnlyRootFilesystem: boolean;
  readonly allowPrivilegeEscalation: boolean;
  readonly addCapabilities: readonly string[];
}

export function resolveSecurity(config: SecurityContextConfig | undefined): ResolvedSecurity {
  const runAsUser = config?.runAsUser ?? RUN_AS_USER;
  const runAsGroup = config?.runAsGroup ?? runAsUser;
  return {
    runAsUser,
    runAsGroup,
    fsGroup: config?.fsGroup ?? runAsGroup,
    readOnlyRootFilesystem: config?.readOnlyRootFilesystem ?? true,
    allowPrivilegeEscalation: config?.allowPrivilegeEscalation ?? false,
    addCapabilities: config?.capabilities?.add ?? [],
  };
}

export function podSecurityContext(security: ResolvedSecurity): kplus.k8s.PodSecurityContext {
  return {
    ...(security.runAsUser !== 0 && { runAsNonRoot: true }),
    runAsUser: security.runAsUser,
    runAsGroup: security.runAsGroup,
    fsGroup: security.fsGroup,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(security: ResolvedSecurity): kplus.k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: security.allowPrivilegeEscalation,
    capabilities: { drop: ['ALL'], ...(security.addCapabilities.length > 0 && { add: [...security.addCapabilities] }) },
    privileged: false,
    readOnlyRootFilesystem: security.readOnlyRootFilesystem,
    ...(security.runAsUser !== 0 && { runAsNonRoot: true }),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
