/** `npm run audit -- …` (see auditCommand.ts and README, "Audit exports"). */
import { runAudit } from './auditCommand.js';

process.exitCode = await runAudit(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
