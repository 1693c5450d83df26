import type { Command } from 'commander';
import { jsonSchemas, type SchemaName } from '@claude-idp/core';
import { UsageError } from '../cli-exit';
import { emit } from '../cli-io';
import type { CommandContext } from '../cli-program';

const NAMES: SchemaName[] = ['snapshot', 'config', 'members', 'report', 'plan'];

export function registerSchema(program: Command, ctx: CommandContext): void {
  program
    .command('schema')
    .description('Print the JSON Schema of a contract: snapshot, config, members, report or plan')
    .argument('<name>', NAMES.join('|'))
    .option('--out <file>', 'write to a file instead of stdout')
    .addHelpText('after', '\nExample:\n  $ claude-idp schema config --out claude-idp.config.schema.json')
    .action((name: string, opts: { out?: string }) => {
      if (!(NAMES as string[]).includes(name))
        throw new UsageError(`schema name must be one of ${NAMES.join(', ')} (got "${name}")`);
      emit(ctx.io, JSON.stringify(jsonSchemas()[name as SchemaName], null, 2), opts.out);
    });
}
