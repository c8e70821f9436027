/**
 * npm run recount -- --from YYYY-MM-DD [--rebuild] [--stage dev|prod]: counts every signal received since
 * that day (00:00 UTC) again, through the aggregator's own aggregateSignal: a signal counted already changes
 * nothing, one that was not is counted now and its marker removed, and one that still cannot be counted
 * is marked, so that the statistics warn about it. Run it after fixing what made the aggregator fail
 * (the aggregator failure queue's alarm); running it twice changes nothing the second time.
 *
 * With --rebuild it also counts again each signal whose current version was counted under an older
 * dimensions version (DIMENSIONS_VERSION: before the dimensions added since), so that it shows under
 * them too: its old contribution out, its new one in, in one transaction that holds only while the
 * applied state is still the old one, so each is rebuilt once and a second run changes nothing. It ends by
 * saying how many signals stay counted under older dimensions: received before --from, or no longer in
 * the signals table (retention), whose new dimensions cannot be known.
 *
 * Against the local stack (DYNAMODB_PORT, default 8000) unless --stage names a deployed one. It reads
 * the whole signals table twice (a count, then the signals, page by page) and prints counts only.
 *
 *   npm run recount -- --from 2024-03-01
 *   npm run recount -- --from 2024-03-01 --stage prod
 *   npm run recount -- --from 2000-01-01 --rebuild
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CloudFormationClient, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, paginateScan, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAggregationStore } from '#adapters/dynamodb/aggregation-store.js';
import { documentClient } from '#adapters/dynamodb/document-client.js';
import { type AggregationStore, aggregateSignal, DIMENSIONS_VERSION, markUncounted, StoredSignalSchema } from '#domain/statistics/index.js';
import { stackNameOf } from './aws/stack-outputs.js';
import { tables } from './resources.js';

const USAGE = `gebruik: npm run recount -- --from JJJJ-MM-DD [--rebuild] [--stage dev|prod [--aws-region eu-central-1]]
doel: de lokale stack (DYNAMODB_PORT, standaard 8000), tenzij --stage
--rebuild: tel ook signalen opnieuw die in een oudere indeling zijn geteld, zodat ze onder de nieuwe kenmerken meetellen`;

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    stage: { type: 'string' },
    'aws-region': { type: 'string' },
    endpoint: { type: 'string' },
    rebuild: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

/** Whether the progress bar is on the current line of stderr, which a message must then begin below. */
let barShown = false;

function fail(message: string): never {
  if (barShown) process.stderr.write('\n');
  console.error(message);
  process.exit(1);
}

interface Target {
  documents: DynamoDBDocumentClient;
  store: AggregationStore;
  signalsTable: string;
  statisticsTable: string;
  where: string;
}

/**
 * A table of a deployed stack, by the logical id CDK gives it under the Data construct (the stack has no
 * output naming the signals and statistics tables).
 */
async function stackTable(cloudFormation: CloudFormationClient, stackName: string, logicalPrefix: string): Promise<string | undefined> {
  for await (const page of paginateListStackResources({ client: cloudFormation }, { StackName: stackName })) {
    const table = page.StackResourceSummaries?.find((r) => r.ResourceType === 'AWS::DynamoDB::Table' && r.LogicalResourceId?.startsWith(logicalPrefix));
    if (table) return table.PhysicalResourceId;
  }
  return undefined;
}

async function target(): Promise<Target> {
  if (!values.stage) {
    const endpoint = values.endpoint ?? `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`;
    const client = new DynamoDBClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const store = new DynamoDbAggregationStore(client, tables.statistics.name);
    return {
      documents: documentClient(client),
      store,
      signalsTable: tables.signals.name,
      statisticsTable: tables.statistics.name,
      where: `de lokale stack (${endpoint})`,
    };
  }
  const region = values['aws-region'] ?? process.env.AWS_REGION ?? 'eu-central-1';
  const stackName = stackNameOf(values.stage);
  const cloudFormation = new CloudFormationClient({ region });
  let signalsTable: string | undefined;
  let statisticsTable: string | undefined;
  try {
    signalsTable = await stackTable(cloudFormation, stackName, 'DataSignalsTable');
    statisticsTable = await stackTable(cloudFormation, stackName, 'DataStatisticsTable');
  } catch (error) {
    if ((error as Error).name !== 'ValidationError') throw error;
  }
  if (!signalsTable || !statisticsTable)
    fail(`${stackName} in ${region} heeft geen signalen- en statistiektabel; is hij uitgerold (npx cdk deploy -c stage=${values.stage})?`);
  const client = new DynamoDBClient({ region });
  return {
    documents: documentClient(client),
    store: new DynamoDbAggregationStore(client, statisticsTable),
    signalsTable,
    statisticsTable,
    where: `${stackName} (${region})`,
  };
}

/** The signals received since `from`, a page at a time. */
const scanSince = (documents: DynamoDBDocumentClient, tableName: string, from: string, select?: ScanCommandInput['Select']) =>
  paginateScan(
    { client: documents },
    {
      TableName: tableName,
      FilterExpression: '#receivedAt >= :from',
      ExpressionAttributeNames: { '#receivedAt': 'receivedAt' },
      ExpressionAttributeValues: { ':from': from },
      ...(select && { Select: select }),
    },
  );

/**
 * Another writer (the aggregator itself) in the same counter item cancels a transaction with a conflict;
 * the SDK does not retry that, so this does, briefly.
 */
async function retryingConflicts<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const conflict = error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'TransactionConflict');
      if (!conflict || attempt >= 5) throw error;
      await sleep(50 * 2 ** attempt);
    }
  }
}

/**
 * The applied states whose contribution was counted under an older dimensions version (one of version 1
 * has no dimensionsVersion). Withdrawn signals (contribution NULL) count nothing in any version.
 */
async function countOutdated(documents: DynamoDBDocumentClient, statisticsTable: string): Promise<number> {
  let outdated = 0;
  const pages = paginateScan(
    { client: documents },
    {
      TableName: statisticsTable,
      Select: 'COUNT',
      FilterExpression:
        'begins_with(#pk, :applied) AND attribute_type(#contribution, :map) AND (attribute_not_exists(#contribution.#dimensionsVersion) OR #contribution.#dimensionsVersion < :current)',
      ExpressionAttributeNames: { '#pk': 'pk', '#contribution': 'contribution', '#dimensionsVersion': 'dimensionsVersion' },
      ExpressionAttributeValues: { ':applied': 'applied#', ':map': 'M', ':current': DIMENSIONS_VERSION },
    },
  );
  for await (const page of pages) outdated += page.Count ?? 0;
  return outdated;
}

/** `\r[#####.....] 120/500 signalen, 3 bijgeteld` on stderr, redrawn at most ten times a second. */
function progressBar(total: number) {
  let last = 0;
  return (done: number, counted: number, force = false) => {
    if (!force && Date.now() - last < 100) return;
    last = Date.now();
    barShown = true;
    const width = 20;
    const filled = total === 0 ? width : Math.min(width, Math.floor((done / total) * width));
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} signalen, ${counted} bijgeteld`);
  };
}

async function main() {
  if (values.help) fail(USAGE);
  const from = values.from;
  if (!from || !/^\d{4}-\d{2}-\d{2}$/.test(from) || Number.isNaN(Date.parse(from)) || new Date(from).toISOString().slice(0, 10) !== from) {
    fail(`Geef met --from de dag vanaf wanneer ontvangen signalen opnieuw worden geteld, als JJJJ-MM-DD.\n\n${USAGE}`);
  }
  const rebuild = values.rebuild === true;
  const { documents, store, signalsTable, statisticsTable, where } = await target();

  let total = 0;
  for await (const page of scanSince(documents, signalsTable, from, 'COUNT')) total += page.Count ?? 0;
  const show = progressBar(total);
  const tally = { done: 0, counted: 0, alreadyCounted: 0, uncountable: 0, rebuilt: 0 };
  show(0, 0, true);

  for await (const page of scanSince(documents, signalsTable, from)) {
    for (const item of page.Items ?? []) {
      const parsed = StoredSignalSchema.safeParse(item);
      if (parsed.success) {
        const outcome = await retryingConflicts(() => aggregateSignal(parsed.data, store, { rebuild }));
        if (outcome === 'counted') tally.counted++;
        else if (outcome === 'rebuilt') tally.rebuilt++;
        else tally.alreadyCounted++;
      } else {
        const result = await retryingConflicts(() => markUncounted(String(item.signalId), item, parsed.error, store));
        if (result === 'marked') tally.uncountable++;
        else tally.alreadyCounted++;
      }
      show(++tally.done, tally.counted);
    }
  }
  show(tally.done, tally.counted, true);
  process.stderr.write('\n');
  barShown = false;

  console.log(
    `Klaar: ${tally.done} signalen ontvangen sinds ${from} in ${where}: ${tally.counted} bijgeteld, ${tally.alreadyCounted} waren al geteld, ${tally.uncountable} niet te tellen${rebuild ? `, ${tally.rebuilt} in de nieuwe indeling herteld` : ''}.`,
  );
  if (rebuild) {
    const outdated = await countOutdated(documents, statisticsTable);
    console.log(
      outdated === 0
        ? `Alle getelde signalen staan in de nieuwe indeling (versie ${DIMENSIONS_VERSION}).`
        : `${outdated === 1 ? '1 signaal blijft' : `${outdated} signalen blijven`} in een oudere indeling geteld: ontvangen vóór ${from}, of niet meer in de signalentabel (bewaartermijn). Ze tellen mee onder de oude kenmerken, niet onder de kenmerken die sindsdien zijn toegevoegd.`,
    );
  }
  if (tally.uncountable > 0) {
    fail(
      `${tally.uncountable} signalen konden niet worden geteld en zijn gemarkeerd: de statistieken waarschuwen ervoor. Zoek de oorzaak in de logs van de aggregator (signalId, errorName) en tel daarna opnieuw.`,
    );
  }
}

main().catch((error: Error) => {
  if (error.name === 'ResourceNotFoundException' || /ECONNREFUSED/.test(String(error.cause ?? error.message))) {
    fail(values.stage ? `De tabellen zijn niet bereikbaar: ${error.message}` : 'De lokale stack draait niet: start hem met npm start en probeer het opnieuw.');
  }
  fail(`${error.name}: ${error.message}`);
});
