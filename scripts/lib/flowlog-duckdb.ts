// AWS default-format flow log files as DuckDB reads them: the table "Query flow logs using Amazon
// Athena" creates (the default fields, underscores for hyphens, nulls for "-"). Shared by the SQL test
// and the bench.

const COLUMNS =
    "{'version': 'INTEGER', 'account_id': 'VARCHAR', 'interface_id': 'VARCHAR', 'srcaddr': 'VARCHAR', 'dstaddr': 'VARCHAR', " +
    "'srcport': 'INTEGER', 'dstport': 'INTEGER', 'protocol': 'INTEGER', 'packets': 'BIGINT', 'bytes': 'BIGINT', 'start': 'BIGINT', 'end': 'BIGINT', " +
    "'action': 'VARCHAR', 'log_status': 'VARCHAR'}";

export function flowLogTable(file: string, header: boolean): string {
    return `read_csv('${file.replace(/'/g, "''")}', delim = ' ', header = ${header}, columns = ${COLUMNS}, nullstr = '-', auto_detect = false)`;
}
