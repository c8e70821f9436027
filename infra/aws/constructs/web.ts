import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SECURITY_HEADERS } from '../../../web/pages/html.js';
import { acknowledge } from '../nag-suppressions.js';
import type { StageConfig } from '../stage-config.js';
import type { MeldrouteHttpApi } from './http-api.js';
import type { Intake } from './intake.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface WebProps {
  config: StageConfig;
  api: MeldrouteHttpApi;
  intake: Intake;
}

/**
 * The public meldformulier: its intake behind POST /v1/web/signals, and the static pages in a private
 * bucket behind CloudFront (origin access control, HTTPS only, security headers), which forwards /v1/*
 * to the API so that the form posts to its own origin. The pages are published with `npm run publish:web`.
 */
export class Web extends Construct {
  readonly function: MeldrouteFunction;
  readonly siteBucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const { config } = props;

    this.function = props.intake.equip(
      new MeldrouteFunction(this, 'WebIntake', {
        name: 'web-intake',
        config,
        memorySize: 512,
        environment: { WEB_RATE_LIMIT_PER_MINUTE: String(config.webRateLimit.perMinute), WEB_RATE_LIMIT_PER_DAY: String(config.webRateLimit.perDay) },
      }),
    );
    props.api.addRoutes(this.function);

    this.siteBucket = new Bucket(this, 'SiteBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Only published pages: they can be published again at any time.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(this.siteBucket, 'AwsSolutions-S1', 'The bucket holds only the published public pages; requests are logged by CloudFront, not per object.');

    const csp = SECURITY_HEADERS['content-security-policy']!;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Meldroute ${config.stage}: security headers of the meldformulier`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    const apiDomain = props.api.url.replace(/^https:\/\//, '').replace(/\/$/, '');
    this.distribution = new Distribution(this, 'Site', {
      comment: `Meldroute ${config.stage}: meldformulier`,
      defaultRootObject: 'index.html',
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      },
      additionalBehaviors: {
        '/v1/*': {
          origin: new HttpOrigin(apiDomain),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // The client's address reaches the API (for the rate limit) through CloudFront's own headers.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
      errorResponses: [{ httpStatus: 403, responseHttpStatus: 404, responsePagePath: '/index.html', ttl: Duration.minutes(5) }],
    });
    const noCustomDomain =
      'The distribution uses its cloudfront.net name and certificate until a municipal domain is chosen; TLS 1.2 is the minimum for viewers.';
    acknowledge(this.distribution, 'AwsSolutions-CFR4', noCustomDomain);
    acknowledge(this.distribution, 'AwsSolutions-CFR3', "Access logs of a public form would hold every reporter's IP address; CloudFront metrics suffice.");
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'The meldformulier is for the Netherlands, but reporters abroad (seasonal workers) must reach it too: no geo restriction.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'No WAF: the form is guarded by per-address rate limits, a honeypot and a body limit in the intake; a WAF can be added in front.',
    );

    new CfnOutput(this, 'SiteUrl', { value: `https://${this.distribution.distributionDomainName}`, description: 'The meldformulier' });
    new CfnOutput(this, 'SiteBucketName', { value: this.siteBucket.bucketName, description: 'Where npm run publish:web puts the pages' });
  }
}
