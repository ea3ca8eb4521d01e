/**
 * `POST /api/v1/getparams.execute`: Argo CD's plugin-generator call. Authenticated before the body is read;
 * answers `{"output":{"parameters":[...]}}` with one set per selected open pull request, and an empty array only
 * when there truly is none; any failure is a non-2xx JSON `{"message"}` (Argo CD then keeps the Applications).
 */
import type { FastifyPluginAsync } from 'fastify';
import { AnswerCache } from '../answer-cache.ts';
import { createBearerTokenCheck } from '../auth.ts';
import type { Clock } from '../clock.ts';
import { ERROR_REPLY_SCHEMA } from '../errors.ts';
import { selectPullRequests } from '../filters.ts';
import { parseGetParamsBody } from '../getparams-input.ts';
import type { PullRequestSource } from '../github/pull-request-source.ts';
import type { PluginMetrics } from '../metrics.ts';
import { PARAMETER_SET_SCHEMA, toParameterSet } from '../params.ts';
import type { RepositoryAllowlist } from '../repositories.ts';
import { parseJsonBodiesAsStrictUtf8 } from '../utf8-json-body.ts';
import { PLUGIN_ROUTES } from '../../contract/plugin-routes.ts';

export interface GetParamsRouteOptions {
  readonly pluginToken: string;
  readonly allowlist: RepositoryAllowlist;
  readonly pullRequests: PullRequestSource;
  readonly clock: Clock;
  readonly metrics: PluginMetrics;
}

/** Argo CD sends a few hundred bytes; a generous limit still stops a flood early. */
const GETPARAMS_BODY_LIMIT = 64 * 1024;

const REPLY_SCHEMA = {
  type: 'object',
  required: ['output'],
  additionalProperties: false,
  properties: {
    output: {
      type: 'object',
      required: ['parameters'],
      additionalProperties: false,
      properties: { parameters: { type: 'array', items: PARAMETER_SET_SCHEMA } },
    },
  },
} as const;

export const getParamsRoute: FastifyPluginAsync<GetParamsRouteOptions> = async (app, options) => {
  const authenticate = createBearerTokenCheck(options.pluginToken);
  const answers = new AnswerCache();
  parseJsonBodiesAsStrictUtf8(app);
  app.post(
    PLUGIN_ROUTES.getParams,
    {
      bodyLimit: GETPARAMS_BODY_LIMIT,
      onRequest: authenticate,
      schema: { response: { 200: REPLY_SCHEMA, '4xx': ERROR_REPLY_SCHEMA, '5xx': ERROR_REPLY_SCHEMA } },
    },
    async (request, reply) => {
      const query = parseGetParamsBody(request.body, options.allowlist);
      const listing = await options.pullRequests.listOpenPullRequests(query.repository);
      options.metrics.recordListing(query.repository, listing.source);
      if (listing.source === 'stale') {
        request.log.warn(
          {
            repository: query.repository,
            lastGoodAgeSeconds: Math.round((options.clock.now() - listing.verifiedAt) / 1000),
            cause: listing.failure?.message,
          },
          'GitHub failed: answering from the last good listing',
        );
      }
      const now = options.clock.now();
      // An age filter selects differently as time passes: its answers are reused within the same second only.
      const key = query.filter.maxAgeHours === undefined ? query.answerKey : `${query.answerKey}@${Math.floor(now / 1000)}`;
      let body = answers.get(key, listing.pullRequests);
      if (body === undefined) {
        const selected = selectPullRequests(listing.pullRequests, query.filter, now);
        const parameters = selected.map((pull) => toParameterSet(pull, query.repository, query.namespacePrefix));
        // Serialized with the route's reply schema, which also refuses a set missing a key.
        body = Buffer.from(String(reply.serialize({ output: { parameters } })));
        answers.set(key, listing.pullRequests, body);
      }
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
};
