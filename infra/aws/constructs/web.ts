import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
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
  /** What the monitor (GET /cijfers) reads: the counters, and the partners' key hashes to check a key. */
  statisticsTable: ITable;
  partnersTable: ITable;
}

/**
 * The public meldformulier: its intake behind POST /v1/web/signals, and the static pages in a private
 * bucket behind CloudFront (origin access control, HTTPS only, security headers), which forwards /v1/*
 * to the API so that the form posts to its own origin. The pages are published with `npm run publish:web`.
 * The monitor, GET /cijfers, is rendered by its function behind the same API; CloudFront forwards
 * /cijfers* there too, and its script and style sheet come from the bucket with the form's.
 */
export class Web extends Construct {
  readonly function: MeldrouteFunction;
  readonly cijfersPage: MeldrouteFunction;
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

    // Reads the counters and the releases, and checks a key by its hash (`key#…`) as the authorizer does.
    this.cijfersPage = new MeldrouteFunction(this, 'CijfersPage', { name: 'cijfers-page', config })
      .useTableActions('statistics', props.statisticsTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem'])
      .useTableActions('partners', props.partnersTable, ['dynamodb:GetItem'], 'key#');
    props.api.addRoutes(this.cijfersPage);

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
    const apiOrigin = new HttpOrigin(apiDomain);
    // The public figures (GET /v1/public/*) are the same for everyone and change only at a release: kept as
    // long as the origin's Cache-Control says (5 minutes), by query string and Accept (JSON or CSV), nothing
    // else. No TTL of its own: what the origin does not mark cacheable (a problem) is not kept.
    const publicFigures = new CachePolicy(this, 'PublicFiguresCache', {
      comment: `Meldroute ${config.stage}: public figures, as long as the API's Cache-Control says`,
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.hours(1),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      headerBehavior: CacheHeaderBehavior.allowList('Accept'),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
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
        // Before /v1/*: CloudFront takes the first pattern that matches.
        '/v1/public/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachedMethods: CachedMethods.CACHE_GET_HEAD,
          cachePolicy: publicFigures,
          responseHeadersPolicy: headers,
        },
        '/v1/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // The client's address reaches the API (for the rate limit) through CloudFront's own headers.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
        // The monitor: rendered per request, for anyone. Not cached here: with a key (a proxy in front of a
        // dashboard adds it) it shows exact figures, and with caching off CloudFront passes Authorization
        // on to the origin with the viewer's other headers; the handler sends Vary and Cache-Control.
        '/cijfers*': {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_DISABLED,
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
