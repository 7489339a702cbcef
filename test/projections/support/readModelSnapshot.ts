/** Everything a read model shows, as plain data, to compare two read models. */
import { compileOrganizationQuery, compileUserQuery } from '../../../projections/directoryQuery.js';
import { gridQuery } from '../../../projections/gridQuery.js';
import type { ApplicationGridRow, ReadModel } from '../../../projections/readModel.js';

export async function allApplications(readModel: ReadModel): Promise<ApplicationGridRow[]> {
  const rows: ApplicationGridRow[] = [];
  for (let page = 1; ; page += 1) {
    const result = await readModel.applications.query(
      gridQuery({ sort: 'name', page, perPage: 100 }, { organizationIds: null, includeDeleted: true }),
    );
    rows.push(...result.items);
    if (result.items.length < 100) return rows;
  }
}

export async function snapshot(readModel: ReadModel) {
  const everything = { organizationIds: null };
  return {
    applications: await allApplications(readModel),
    users: (await readModel.users.list(compileUserQuery({ page: 1, perPage: 100 }, everything))).items,
    organizations: (await readModel.organizations.list(compileOrganizationQuery({ page: 1, perPage: 100 }, everything)))
      .items,
  };
}
