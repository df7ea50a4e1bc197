/**
 * What an endpoint offers: the models it discovered (GET /admin/endpoints/:id/models) and, for
 * Bedrock, the account's service quotas (GET …/quotas), or why they cannot be shown (an Anthropic
 * endpoint, credentials without servicequotas:ListServiceQuotas).
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type ListEnvelope } from '../../api/client.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { Modal } from '../../components/Modal.js';
import { SimpleTable } from '../../components/SimpleTable.js';
import { formatDateTime, formatInteger } from '../../lib/format.js';
import type { DiscoveredModel, QuotaReport } from './contract.js';

function Models({ endpointId }: { endpointId: string }) {
  const models = useQuery({ queryKey: ['admin', 'endpoint-models', endpointId], queryFn: () => api.get<ListEnvelope<DiscoveredModel>>(`/admin/endpoints/${encodeURIComponent(endpointId)}/models`) });
  if (models.isPending) return <Loading label="Loading models" />;
  if (models.isError) return <ErrorMessage error={models.error} title="Could not list the models" />;
  if (models.data.data.length === 0) return <p className="muted">The endpoint lists no models.</p>;
  return (
    <SimpleTable
      label="Discovered models"
      rows={models.data.data}
      rowKey={(model) => model.id}
      columns={[
        { header: 'Model', rowHeader: true, render: (model) => model.display_name },
        { header: 'Id', mono: true, render: (model) => model.id },
      ]}
    />
  );
}

function Quotas({ endpointId }: { endpointId: string }) {
  const quotas = useQuery({ queryKey: ['admin', 'endpoint-quotas', endpointId], queryFn: () => api.get<QuotaReport>(`/admin/endpoints/${encodeURIComponent(endpointId)}/quotas`) });
  if (quotas.isPending) return <Loading label="Loading quotas" />;
  if (quotas.isError) return <ErrorMessage error={quotas.error} title="Could not read the quotas" />;
  const report = quotas.data;
  if (report.unavailable) return <p className="muted">Quotas unavailable: {report.unavailable}</p>;
  if (report.data.length === 0) return <p className="muted">No Bedrock quotas apply to the models this endpoint serves.</p>;
  return (
    <>
      <SimpleTable
        label="Bedrock service quotas"
        rows={report.data}
        rowKey={(quota) => quota.code}
        columns={[
          { header: 'Quota', rowHeader: true, render: (quota) => quota.name },
          { header: 'Value', align: 'right', render: (quota) => `${formatInteger(quota.value)}${quota.unit && quota.unit !== 'None' ? ` ${quota.unit}` : ''}` },
          { header: 'Adjustable', render: (quota) => (quota.adjustable ? 'yes' : 'no') },
        ]}
      />
      {report.fetched_at ? <p className="field-hint">Read from AWS {formatDateTime(report.fetched_at)}.</p> : null}
    </>
  );
}

export function ModelsQuotasButton({ endpointId, name }: { endpointId: string; name: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button-small" aria-label={`Models and quotas of ${name}`} onClick={() => setOpen(true)}>
        Models
      </button>
      <Modal open={open} title={`${name}: models and quotas`} onClose={() => setOpen(false)} wide>
        {open ? (
          <>
            <h3>Discovered models</h3>
            <Models endpointId={endpointId} />
            <h3>Quotas</h3>
            <Quotas endpointId={endpointId} />
          </>
        ) : null}
      </Modal>
    </>
  );
}
