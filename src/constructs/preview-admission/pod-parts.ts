/** The spec and labels of a pod, as CEL over an object that is a Pod, a CronJob or a workload with a pod template. */
export interface PodParts {
  /** The pod's spec. */
  readonly spec: string;
  /** The pod's labels; `{}` where it has none. */
  readonly labels: string;
}

/** A pod's or pod template's spec and labels in `root` (`object` or `oldObject`), as CEL. */
export function podParts(root: string): PodParts {
  const template = (path: string) => `(has(${path}.metadata) && has(${path}.metadata.labels) ? ${path}.metadata.labels : {})`;
  return {
    spec: `(${root}.kind == 'Pod' ? ${root}.spec : ${root}.kind == 'CronJob' ? ${root}.spec.jobTemplate.spec.template.spec : ${root}.spec.template.spec)`,
    labels:
      `(${root}.kind == 'Pod' ? (has(${root}.metadata.labels) ? ${root}.metadata.labels : {})` +
      ` : ${root}.kind == 'CronJob' ? ${template(`${root}.spec.jobTemplate.spec.template`)} : ${template(`${root}.spec.template`)})`,
  };
}
