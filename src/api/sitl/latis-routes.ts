import express, { Router, type Request, type Response } from 'express';
import type { SitlService } from '../../sitl/sitl-service.js';
import type { ApiContext } from '../api-context.js';
import { HttpRequestError } from '../http-errors.js';
import { EVENT_QUERY_COLUMNS, eventsCsv } from './latis-events.js';
import { METADATA_COLUMNS, metadataCsv, SEGMENT_COLUMN_NAMES, segmentTableCsv } from './latis-datasets.js';
import { parseLatisQuery } from './latis-query.js';

/**
 * The legacy CSV services (LaTiS) of burst data: `<segmentDataset>.csv` and `<eventsDataset>.csv`
 * (public and team) and `<spacecraft>_burst_metadata.csv` (team), with a projection and `NAME<op>VALUE` selections;
 * `properties.txt` answers the team login check. GET or POST, header line always.
 */
export function latisRoutes(ctx: ApiContext, sitl: SitlService, access: 'public' | 'team'): Router {
  const router = Router();
  router.use(express.text({ type: 'application/x-www-form-urlencoded', limit: '64kb' }));
  const mission = ctx.mission.config;
  const latis = sitl.config.latis;
  const metadataNames = new Map(mission.spacecraft.map((sc) => [latis.metadataDataset.replace('{spacecraft}', sc), sc]));
  const handle = async (req: Request, res: Response) => {
    const file = req.params.file as string;
    const raw = rawQuery(req);
    if (access === 'team' && file === 'properties.txt') {
      res.type('text/plain').send(`version=${mission.id}-sdc\n`);
      return;
    }
    const dot = file.lastIndexOf('.');
    const [dataset, ext] = dot < 0 ? [file, ''] : [file.slice(0, dot), file.slice(dot + 1)];
    if (ext !== 'csv') throw new HttpRequestError('not-found', `no dataset '${file}' (datasets are served as <name>.csv)`);
    if (dataset === latis.segmentDataset) {
      res.type('text/csv').send(await segmentTableCsv(ctx.db, mission.id, parseLatisQuery(raw, SEGMENT_COLUMN_NAMES)));
      return;
    }
    if (dataset === latis.eventsDataset) {
      res.type('text/csv').send(await eventsCsv(ctx.db, mission.id, parseLatisQuery(raw, EVENT_QUERY_COLUMNS)));
      return;
    }
    const spacecraft = metadataNames.get(dataset);
    if (spacecraft && access === 'team') {
      res.type('text/csv').send(await metadataCsv(ctx.db, mission.id, spacecraft, parseLatisQuery(raw, METADATA_COLUMNS)));
      return;
    }
    const known = [latis.segmentDataset, ...(latis.eventsDataset ? [latis.eventsDataset] : []), ...(access === 'team' ? metadataNames.keys() : [])].map((d) => `${d}.csv`);
    throw new HttpRequestError('not-found', `no dataset '${file}' here (datasets: ${known.join(', ')})`);
  };
  router.get('/:file', handle);
  router.post('/:file', handle);
  return router;
}

/** The query string as sent (operators and their encodings kept), plus a form body's. */
function rawQuery(req: Request): string {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const query = q < 0 ? '' : url.slice(q + 1);
  const body = typeof req.body === 'string' ? req.body : '';
  return [query, body].filter(Boolean).join('&');
}
