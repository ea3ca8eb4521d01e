/** Kubernetes quantities as numbers, to compare quotas and sum requests ("500m" CPU, "1Gi" memory). */

const SUFFIXES: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** The value of a quantity such as "250m", "1.5", "512Mi" or "2G" (in cores or bytes). */
export function parseQuantity(quantity: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(quantity);
  if (!match) throw new Error(`not a quantity: ${JSON.stringify(quantity)}`);
  return Number(match[1]) * SUFFIXES[match[2] ?? '']!;
}

/** The value of a quantity, or NaN when it is not one (already reported by the schema): NaN fails every comparison. */
export function quantityOrNaN(quantity: string | undefined): number {
  try {
    return quantity === undefined ? Number.NaN : parseQuantity(quantity);
  } catch {
    return Number.NaN;
  }
}

/** A CPU amount in the unit people write: "1500m" → "1.5", "250m" → "250m". */
export function formatCpu(cores: number): string {
  const millis = Math.round(cores * 1000);
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** A memory amount in Mi, or Gi when whole: 1536Mi → "1536Mi", 2048Mi → "2Gi". */
export function formatMemory(bytes: number): string {
  const mebibytes = Math.ceil(bytes / 2 ** 20);
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}
