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
    const [api] = distribution.Properties.DistributionConfig.CacheBehaviors;
    expect(api).toMatchObject({
      PathPattern: '/v1/*',
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: expect.arrayContaining(['POST', 'GET']),
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
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

  it("routes POST /v1/web/signals without the authorizer, with the stage's rate limits", () => {
    web.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /v1/web/signals', AuthorizationType: 'NONE' });
    const fn = Object.values(web.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Description === 'Meldroute web-intake (dev)');
    expect(fn!.Properties.Environment.Variables).toMatchObject({ WEB_RATE_LIMIT_PER_MINUTE: '5', WEB_RATE_LIMIT_PER_DAY: '30' });
  });
});
