/**
 * A Kubernetes object, or a part of one, as the import reads it: any manifest of any kind, field by field. The
 * import checks each field it carries where it reads it (and the schema checks what it writes), so this one type
 * is the only place the import gives up static typing.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
