import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PromotionPlan, ServicePromotion } from '../../src/delivery/promotion-plan.ts';
import { promotionBranch, promotionTitle } from '../../src/delivery/promotion-text.ts';
import { BUILT, IMAGES, INITIAL } from '../support/delivery.ts';

const api: ServicePromotion = { service: 'api', image: IMAGES.api, from: INITIAL.api, to: BUILT.first, evidence: { kind: 'runs', since: undefined } };
const web: ServicePromotion = { service: 'web', image: IMAGES.web, from: INITIAL.web, to: BUILT.second, evidence: { kind: 'forced' } };
const plan = (...promotions: ServicePromotion[]): PromotionPlan => ({ target: 'prod', source: 'staging', promotions, unchanged: [] });

describe('promotion branches and titles', () => {
  it('name one service and the first 12 hex digits of its new digest', () => {
    expect(promotionBranch(plan(api))).toBe('promote/prod/api-a1a1a1a1a1a1');
    expect(promotionTitle(plan(api))).toBe('Promote api to prod: sha256:a1a1a1a1a1a1');
  });

  it('name several services by a fingerprint of what changes, whatever order they come in', () => {
    const fingerprint = createHash('sha256').update(`api@${BUILT.first}\nweb@${BUILT.second}`).digest('hex').slice(0, 12);
    expect(promotionBranch(plan(api, web))).toBe(`promote/prod/services-${fingerprint}`);
    expect(promotionBranch(plan(web, api))).toBe(`promote/prod/services-${fingerprint}`);
    expect(promotionBranch(plan(api, { ...web, to: BUILT.third }))).not.toBe(`promote/prod/services-${fingerprint}`);
    expect(promotionTitle(plan(api, web))).toBe('Promote api, web to prod from staging');
  });
});
