/**
 * Checking an endpoint without sending traffic (POST /admin/endpoints/:id/validate): whether its
 * credentials work, whether the upstream answers, whether it lists models, each with its time.
 */
import { useState } from 'react';
import { api } from '../../api/client.js';
import { FormError } from '../../components/Form.js';
import { Loading } from '../../components/Loading.js';
import { Modal } from '../../components/Modal.js';
import { formatDuration } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';
import type { ValidationReport } from './contract.js';

const CHECK_LABEL: Record<string, string> = { credentials: 'Credentials', reachability: 'Reachability', models: 'Model discovery' };

export function ValidationChecks({ report }: { report: ValidationReport }) {
  return (
    <>
      <p>
        <span className={`badge ${report.ok ? 'badge-ok' : 'badge-danger'}`}>{report.ok ? 'all checks passed' : 'a check failed'}</span>
      </p>
      <ul className="check-list">
        {report.checks.map((check) => (
          <li key={check.name}>
            <span className={`badge ${check.ok ? 'badge-ok' : 'badge-danger'}`}>{check.ok ? 'ok' : 'failed'}</span> <strong>{CHECK_LABEL[check.name] ?? check.name}</strong>{' '}
            <span className="muted">({formatDuration(check.ms)})</span>
            {check.detail ? <div className="cell-note cell-note-wrap">{check.detail}</div> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

export function ValidateButton({ endpointId, name }: { endpointId: string; name: string }) {
  const [report, setReport] = useState<ValidationReport>();
  const [open, setOpen] = useState(false);
  const { busy, error, run } = useAction();
  const start = () => {
    setOpen(true);
    setReport(undefined);
    void run(async () => setReport(await api.post<ValidationReport>(`/admin/endpoints/${encodeURIComponent(endpointId)}/validate`)));
  };
  return (
    <>
      <button type="button" className="button button-small" aria-label={`Validate ${name}`} onClick={start}>
        Validate
      </button>
      <Modal open={open} title={`Checks of ${name}`} onClose={() => setOpen(false)}>
        {busy ? <Loading label="Checking the endpoint" /> : null}
        {report ? <ValidationChecks report={report} /> : null}
        <FormError error={error} />
        <div className="form-actions">
          <button type="button" className="button" disabled={busy} onClick={start}>
            Check again
          </button>
          <button type="button" className="button button-primary" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
      </Modal>
    </>
  );
}
