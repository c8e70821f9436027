import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { authorizerFunction, defaultRouteFunction, httpRoutes, ROUTE_PERMISSIONS_ENV, routeKeyOf, routePermissions } from '../../../functions/routes.js';
import { acknowledge } from '../nag-suppressions.js';
import type { StageConfig } from '../stage-config.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface MeldrouteHttpApiProps {
  config: StageConfig;
  partnersTable: ITable;
}

/** Access log fields: enough to run the service, nothing that identifies a reporter (no IP, no agent). */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  authorizerLatency: '$context.authorizer.latency',
});

/**
 * The partner API: the routes of the contract (functions/routes.ts), the Lambda authorizer for every
 * scoped route, a $default route answering problem+json 404s, access logs and stage throttling.
 */
export class MeldrouteHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: MeldrouteFunction[] = [];
  private readonly authorizer: HttpLambdaAuthorizer;
  private readonly routed = new Set<string>();

  constructor(scope: Construct, id: string, props: MeldrouteHttpApiProps) {
    super(scope, id);
    const { config } = props;

    const authorizerFn = new MeldrouteFunction(this, 'Authorizer', {
      name: authorizerFunction,
      config,
      environment: { [ROUTE_PERMISSIONS_ENV]: JSON.stringify(routePermissions()) },
    }).useTable('partners', props.partnersTable, 'read');
    // No identity source, so API Gateway invokes the authorizer for every request, with or without a
    // key, and the handler answers 401/403 as problem+json (API Gateway's own 401 cannot be). The
    // authorizer caches key look-ups itself (60 s), so a warm one asks DynamoDB once a minute per key.
    this.authorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', authorizerFn, {
      authorizerName: 'meldroute-api-key',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [],
      resultsCacheTtl: Duration.seconds(0),
    });

    const notFound = new MeldrouteFunction(this, 'NotFound', { name: defaultRouteFunction, config });
    this.api = new HttpApi(this, 'Api', {
      apiName: `meldroute-${config.stage}`,
      description: 'Meldroute partner API (v1)',
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('NotFoundIntegration', notFound),
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: config.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: AccessLogFormat.custom(ACCESS_LOG_FORMAT) },
    });
    acknowledge(
      this.api.node.findChild('DefaultRoute'),
      'AwsSolutions-APIG4',
      'The $default route answers every path outside the contract with a problem+json 404 and reads no data; a key would add nothing.',
    );
    this.functions.push(authorizerFn, notFound);
    this.addRoutes(new MeldrouteFunction(this, 'OpenApi', { name: 'openapi', config }));
  }

  get url(): string {
    return this.stage.url;
  }

  /** Routes every path of the contract that this function serves, behind the authorizer when scoped. */
  addRoutes(fn: MeldrouteFunction): void {
    const routes = httpRoutes.filter((route) => route.functionName === fn.handlerName);
    if (routes.length === 0) throw new Error(`${fn.handlerName} serves no route of functions/routes.ts`);
    const integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn);
    for (const route of routes) {
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        ...(route.permission && { authorizer: this.authorizer }),
      });
      if (!route.permission) acknowledge(added!, 'AwsSolutions-APIG4', `Public on purpose: ${route.publicBecause ?? 'no reason given'}`);
      this.routed.add(routeKeyOf(route));
    }
    this.functions.push(fn);
  }

  /** Routes of the contract that no function was given, for the app to refuse to synthesise. */
  unroutedRoutes(): string[] {
    return httpRoutes.map(routeKeyOf).filter((key) => !this.routed.has(key));
  }
}
