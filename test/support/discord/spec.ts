/**
 * Request checks against Discord's published OpenAPI spec, vendored in test/fixtures/discord-api-spec/
 * (see the README there for its source and how to update it): routes, path and query parameters, bodies.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';

export const SPEC_PATH = fileURLToPath(new URL('../../fixtures/discord-api-spec/openapi.json', import.meta.url));

export const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
// Request bodies are shape-checked against the spec before anyone reads them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
interface SpecParameter {
  name: string;
  in: string;
  required?: boolean;
}
interface SpecOperation {
  parameters?: SpecParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
  security?: Record<string, string[]>[];
}
type SpecPathItem = { parameters?: SpecParameter[] } & Partial<Record<HttpMethod, SpecOperation>>;
export interface SpecRoute {
  template: string;
  regex: RegExp;
  paramNames: string[];
  item: SpecPathItem;
}
export interface Issue {
  path: (string | number)[];
  code: string;
  message: string;
}

const AJV_CODES: Record<string, string> = {
  maxLength: 'BASE_TYPE_MAX_LENGTH',
  minLength: 'BASE_TYPE_MIN_LENGTH',
  maxItems: 'BASE_TYPE_MAX_LENGTH',
  minItems: 'BASE_TYPE_MIN_LENGTH',
  required: 'BASE_TYPE_REQUIRED',
  type: 'BASE_TYPE_BAD_TYPE',
  enum: 'BASE_TYPE_CHOICES',
  const: 'BASE_TYPE_CHOICES',
  maximum: 'NUMBER_TYPE_MAX',
  minimum: 'NUMBER_TYPE_MIN',
  format: 'BASE_TYPE_BAD_FORMAT',
  pattern: 'BASE_TYPE_BAD_FORMAT',
};

/** JSON pointer → URI fragment that ajv resolves inside the registered spec document. */
const specRef = (...segments: (string | number)[]) => 'spec#/' + segments.map((s) => encodeURIComponent(String(s).replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

export class SpecValidator {
  readonly routes: SpecRoute[];
  // Separate instance for params: query/path values arrive as strings and must be coerced.
  readonly #bodies: Ajv2020;
  readonly #params: Ajv2020;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Json) {
    acceptIntegerStrings(doc.components.schemas);
    this.#bodies = SpecValidator.#ajv(doc, false);
    this.#params = SpecValidator.#ajv(doc, true);
    this.routes = Object.entries(doc.paths as Record<string, SpecPathItem>)
      .map(([template, item]) => {
        const segments = template.split('/');
        const source = segments.map((s) => (s.startsWith('{') ? '([^/]+)' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')));
        return {
          template,
          item,
          regex: new RegExp(`^${source.join('/')}$`),
          paramNames: segments.filter((s) => s.startsWith('{')).map((s) => s.slice(1, -1)),
          literals: segments.filter((s) => !s.startsWith('{')).length,
        };
      })
      // `/users/@me` must win over `/users/{user_id}`.
      .sort((a, b) => b.literals - a.literals);
  }

  static #ajv(doc: Json, coerceTypes: boolean): Ajv2020 {
    const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes, validateFormats: true });
    ajvFormats.default(ajv);
    ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
    ajv.addFormat('nonce', true);
    ajv.addSchema(doc, 'spec');
    return ajv;
  }

  match(apiPath: string): { route: SpecRoute; params: Record<string, string> } | undefined {
    // discord.js sends `@original` as `%40original`.
    const decoded = apiPath
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
    for (const route of this.routes) {
      const m = route.regex.exec(decoded);
      if (m) {
        const params = Object.fromEntries(route.paramNames.map((name, i) => [name, m[i + 1]!]));
        return { route, params };
      }
    }
    return undefined;
  }

  checkParams(route: SpecRoute, method: HttpMethod, params: Record<string, string>, query: Record<string, string>): Issue[] {
    const issues: Issue[] = [];
    for (const where of ['path', 'query'] as const) {
      const validate = this.#compile(this.#params, `params ${route.template} ${method} ${where}`, () => {
        const declared = [
          ...(route.item.parameters ?? []).map((p, i) => ({ p, ref: specRef('paths', route.template, 'parameters', i, 'schema') })),
          ...(route.item[method]?.parameters ?? []).map((p, i) => ({ p, ref: specRef('paths', route.template, method, 'parameters', i, 'schema') })),
        ].filter(({ p }) => p.in === where);
        return {
          type: 'object',
          properties: Object.fromEntries(declared.map(({ p, ref }) => [p.name, { $ref: ref }])),
          required: declared.filter(({ p }) => p.required).map(({ p }) => p.name),
        };
      });
      if (!validate({ ...(where === 'path' ? params : query) })) issues.push(...toIssues(validate.errors));
    }
    return issues;
  }

  checkBody(route: SpecRoute, method: HttpMethod, contentType: string, body: unknown): Issue[] {
    const requestBody = route.item[method]?.requestBody;
    if (!requestBody) return body === undefined ? [] : [{ path: [], code: 'BODY_NOT_ALLOWED', message: 'This route takes no body.' }];
    if (body === undefined) return requestBody.required ? [{ path: [], code: 'BASE_TYPE_REQUIRED', message: 'A body is required.' }] : [];
    const schema = requestBody.content[contentType];
    if (!schema) return [{ path: [], code: 'CONTENT_TYPE_INVALID', message: `Unsupported content type ${contentType}.` }];
    const ref = this.#narrow(schema.schema, body) ?? specRef('paths', route.template, method, 'requestBody', 'content', contentType, 'schema');
    const validate = this.#compile(this.#bodies, `body ${ref}`, () => ({ $ref: ref }));
    return validate(body) ? [] : toIssues(validate.errors);
  }

  /** Unions discriminated by `type` (interaction callbacks) would report every branch; keep the one that applies. */
  #narrow(schema: Json, body: Json): string | undefined {
    const branches: Json[] | undefined = schema.anyOf ?? schema.oneOf;
    if (!branches || typeof body?.type !== 'number') return undefined;
    const hits = branches.filter((b) => {
      const target = typeof b.$ref === 'string' ? this.#resolve(b.$ref) : b;
      const type = target?.properties?.type;
      return type?.enum?.includes(body.type) || type?.const === body.type;
    });
    return hits.length === 1 && typeof hits[0].$ref === 'string' ? `spec${hits[0].$ref}` : undefined;
  }

  #resolve(ref: string): Json {
    return ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: Json, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
  }

  #compile(ajv: Ajv2020, key: string, schema: () => object): ValidateFunction {
    let validate = this.#compiled.get(key);
    if (!validate) this.#compiled.set(key, (validate = ajv.compile(schema())));
    return validate;
  }
}

/**
 * The spec types permission bitfields (and a few other ints) as `integer`, but Discord parses numeric strings
 * for integer fields (hence its NUMBER_TYPE_COERCE error) and discord.js sends bitfields as strings.
 */
function acceptIntegerStrings(node: Json): void {
  if (Array.isArray(node)) return node.forEach(acceptIntegerStrings);
  if (!node || typeof node !== 'object') return;
  const types = typeof node.type === 'string' ? [node.type] : node.type;
  if (Array.isArray(types) && types.includes('integer') && !types.includes('string') && !node.enum && node.const === undefined) {
    node.type = [...types, 'string'];
    node.pattern ??= '^-?[0-9]+$';
  }
  Object.values(node).forEach(acceptIntegerStrings);
}

function toIssues(errors: ErrorObject[] | null | undefined): Issue[] {
  const issues = (errors ?? []).map((e) => {
    const path: (string | number)[] = e.instancePath
      .split('/')
      .slice(1)
      .map((k) => (/^\d+$/.test(k) ? Number(k) : k.replace(/~1/g, '/').replace(/~0/g, '~')));
    if (e.keyword === 'required') path.push((e.params as { missingProperty: string }).missingProperty);
    return { path, code: AJV_CODES[e.keyword] ?? 'BASE_TYPE_INVALID', message: e.message ?? e.keyword };
  });
  return dedupe(issues);
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => !seen.has(`${i.path.join('.')}|${i.message}`) && !!seen.add(`${i.path.join('.')}|${i.message}`));
}

/** Discord nests errors by field path: `{ embeds: { 0: { description: { _errors: [...] } } } }`. */
export function discordErrors(issues: Issue[]): Json {
  const root: Json = {};
  for (const { path: keys, code, message } of issues) {
    const node = keys.reduce((n: Json, k) => (n[k] ??= {}), root);
    (node._errors ??= []).push({ code, message });
  }
  return root;
}

let sharedValidator: SpecValidator | undefined;
export const specValidator = () => (sharedValidator ??= new SpecValidator(JSON.parse(readFileSync(SPEC_PATH, 'utf8'))));
