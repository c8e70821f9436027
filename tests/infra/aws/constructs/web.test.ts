import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../../../web/pages/html.js';
import { synthesise } from '../synthesised-app.js';

let web: Template;
beforeAll(() => {
  ({ template: web } = synthesise('dev'));
});

type Resource = { Properties: Record<string, any> };
const only = (type: string): [string, Resource] => {
  const found = Object.entries(web.findResources(type)) as Array<[string, Resource]>;
  expect(found, type).toHaveLength(1);
  return found[0]!;
};

describe('web: the meldformulier on AWS', () => {
  it('serves the pages from a private bucket through origin access control, HTTPS only', () => {
    const [, distribution] = only('AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    const s3Origin = config.Origins.find((o: Record<string, any>) => o.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    const [, bucket] = Object.entries(web.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('WebSiteBucket')) as [string, Resource];
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    only('AWS::CloudFront::OriginAccessControl');
  });

  it('forwards /v1/* uncached to the API, so that the form posts to its own origin', () => {
    const [, distribution] = only('AWS::CloudFront::Distribution');
    const api = (distribution.Properties.DistributionConfig.CacheBehaviors as Array<Record<string, any>>).find((b) => b.PathPattern === '/v1/*');
    expect(api).toMatchObject({
      PathPattern: '/v1/*',
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: expect.arrayContaining(['POST', 'GET']),
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
    });
  });

  it("caches /v1/public/* from the API as long as the API's Cache-Control says, by query string and Accept, matched before /v1/*", () => {
    const [, distribution] = only('AWS::CloudFront::Distribution');
    const behaviours = distribution.Properties.DistributionConfig.CacheBehaviors as Array<Record<string, any>>;
    const patterns = behaviours.map((b) => b.PathPattern);
    expect(patterns.indexOf('/v1/public/*')).toBeGreaterThanOrEqual(0);
    expect(patterns.indexOf('/v1/public/*')).toBeLessThan(patterns.indexOf('/v1/*'));
    const figures = behaviours.find((b) => b.PathPattern === '/v1/public/*')!;
    const api = behaviours.find((b) => b.PathPattern === '/v1/*')!;
    expect(figures).toMatchObject({
      TargetOriginId: api.TargetOriginId,
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      CachedMethods: ['GET', 'HEAD'],
      ResponseHeadersPolicyId: api.ResponseHeadersPolicyId,
    });
    // No origin request policy: only what is in the cache key (query string, Accept) reaches the API.
    expect(figures.OriginRequestPolicyId).toBeUndefined();
    const [policyId, policy] = only('AWS::CloudFront::CachePolicy');
    expect(figures.CachePolicyId).toEqual({ Ref: policyId });
    expect(policy.Properties.CachePolicyConfig).toMatchObject({
      MinTTL: 0,
      DefaultTTL: 0,
      MaxTTL: 3600,
      ParametersInCacheKeyAndForwardedToOrigin: {
        QueryStringsConfig: { QueryStringBehavior: 'all' },
        HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Accept'] },
        CookiesConfig: { CookieBehavior: 'none' },
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
      },
    });
  });

  it('adds the same security headers as the local runner: CSP without inline script, HSTS, frame-ancestors none, referrer policy', () => {
    const [, policy] = only('AWS::CloudFront::ResponseHeadersPolicy');
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).toBe(SECURITY_HEADERS['content-security-policy']);
    expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).not.toContain('unsafe-inline');
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true });
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
    expect(headers.ReferrerPolicy.ReferrerPolicy).toBe('no-referrer');
  });

  it('forwards /cijfers* uncached to the same API origin, with every viewer header (Authorization too) and the security headers', () => {
    const [, distribution] = only('AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    const behaviours = config.CacheBehaviors as Array<Record<string, any>>;
    const api = behaviours.find((b) => b.PathPattern === '/v1/*')!;
    const monitor = behaviours.find((b) => b.PathPattern === '/cijfers*')!;
    expect(monitor).toMatchObject({
      TargetOriginId: api.TargetOriginId,
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      // Managed policies: CachingDisabled, AllViewerExceptHostHeader.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      ResponseHeadersPolicyId: api.ResponseHeadersPolicyId,
    });
    const origin = config.Origins.find((o: Record<string, any>) => o.Id === monitor.TargetOriginId);
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only' });
  });

  it('routes GET /cijfers without the authorizer to a function that may only read the counters and the key hashes', () => {
    web.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /cijfers', AuthorizationType: 'NONE' });
    const functions = Object.entries(web.findResources('AWS::Lambda::Function')) as Array<[string, Resource]>;
    const [, fn] = functions.find(([, f]) => f.Properties.Description === 'Meldroute cijfers-page (dev)')!;
    expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(expect.arrayContaining(['STATISTICS_TABLE', 'PARTNERS_TABLE']));
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const policies = Object.values(web.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId),
    );
    const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()));
    expect(new Set(actions.filter((a: string) => a.startsWith('dynamodb:')))).toEqual(new Set(['dynamodb:GetItem', 'dynamodb:BatchGetItem']));
    // In the partners table only the keys' items, by their hash.
    const partners = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .find((s: { Condition?: unknown }) => JSON.stringify(s.Condition ?? {}).includes('key#*'));
    expect(partners).toMatchObject({ Action: 'dynamodb:GetItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['key#*'] } } });
  });

  it("routes POST /v1/web/signals without the authorizer, with the stage's rate limits", () => {
    web.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /v1/web/signals', AuthorizationType: 'NONE' });
    const fn = Object.values(web.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Description === 'Meldroute web-intake (dev)');
    expect(fn!.Properties.Environment.Variables).toMatchObject({ WEB_RATE_LIMIT_PER_MINUTE: '5', WEB_RATE_LIMIT_PER_DAY: '30' });
  });
});
