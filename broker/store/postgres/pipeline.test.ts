import { runPipelineContract } from './pipeline.contract.js';

const url = process.env['FAILOVER_LAB_PG_URL'] ?? 'postgres://failover_lab:failover_lab@127.0.0.1:5432/failover_lab';

runPipelineContract('PostgreSQL', () => ({ config: () => ({ connectionString: url }) }));
