/**
 * Which top-level fields of its data a Go template reads, without running it: `{{ .number }}`,
 * `{{ printf "pr-%s" .number }}`, `{{ $.branch_slug }}`, `{{ range .labels }}` all read from the parameter set;
 * inside `range` and `with`, `.` is rebound to something else, so `.name` there is not a parameter (but `$.name`
 * still is). This is enough of text/template's grammar to check an ApplicationSet template's parameters.
 */

/** One action of the template (`{{ ... }}`) with the fields it reads from the top-level data. */
export interface FieldUse {
  readonly field: string;
  /** The action as written, for messages: `{{ .pr_number }}`. */
  readonly action: string;
}

interface Frame {
  readonly kind: 'root' | 'if' | 'range' | 'with' | 'define';
  /** What `.` is in this frame's body: the top-level data, or something else. */
  dotIsRoot: boolean;
  /** What `.` was outside, restored in an `{{ else }}` branch of range/with. */
  readonly outerDotIsRoot: boolean;
}

const ACTION = /\{\{(-?)([\s\S]*?)(-?)\}\}/g;
const STRING_LITERALS = /"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)+'/g;
// A field of `.` (or of `$`, the top-level data) where it starts an operand: not `.a.b`'s `.b`, not `$x.b`.
const FIELD = /(^|[\s(|,=])(\$?)\.([A-Za-z_][A-Za-z0-9_]*)/g;
const KEYWORD = /^(if|else|end|range|with|define|block|template)\b\s*/;

/** The top-level fields `template` reads, one entry per use, in order. */
export function topLevelFieldsOf(template: string): FieldUse[] {
  const uses: FieldUse[] = [];
  const stack: Frame[] = [{ kind: 'root', dotIsRoot: true, outerDotIsRoot: true }];
  for (const match of template.matchAll(ACTION)) {
    const action = match[0];
    const body = match[2]!.trim();
    if (body.startsWith('/*')) continue;
    const code = body.replace(STRING_LITERALS, '""');
    const frame = stack.at(-1)!;
    const keyword = KEYWORD.exec(code);
    const rest = keyword ? code.slice(keyword[0].length) : code;
    const read = (dotIsRoot: boolean) => {
      for (const field of fieldsOf(rest, dotIsRoot)) uses.push({ field, action });
    };
    switch (keyword?.[1]) {
      case 'end':
        if (stack.length > 1) stack.pop();
        break;
      case 'if':
        read(frame.dotIsRoot);
        stack.push({ kind: 'if', dotIsRoot: frame.dotIsRoot, outerDotIsRoot: frame.dotIsRoot });
        break;
      case 'range':
      case 'with':
        read(frame.dotIsRoot);
        stack.push({ kind: keyword[1], dotIsRoot: false, outerDotIsRoot: frame.dotIsRoot });
        break;
      case 'define':
      case 'block':
        read(frame.dotIsRoot);
        stack.push({ kind: 'define', dotIsRoot: false, outerDotIsRoot: frame.dotIsRoot });
        break;
      case 'else': {
        // `{{ else }}` of a range or with runs with the outer dot; `{{ else with .x }}` rebinds it again.
        if (frame.kind === 'range' || frame.kind === 'with') frame.dotIsRoot = frame.outerDotIsRoot;
        const chained = /^(if|with)\b\s*/.exec(rest);
        for (const field of fieldsOf(chained ? rest.slice(chained[0].length) : rest, frame.dotIsRoot)) uses.push({ field, action });
        if (chained?.[1] === 'with') frame.dotIsRoot = false;
        break;
      }
      default:
        read(frame.dotIsRoot);
    }
  }
  return uses;
}

function fieldsOf(code: string, dotIsRoot: boolean): string[] {
  const fields: string[] = [];
  for (const match of code.matchAll(FIELD)) {
    if (match[2] === '$' || dotIsRoot) fields.push(match[3]!);
  }
  return fields;
}
