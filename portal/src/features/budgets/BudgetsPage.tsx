/**
 * Budgets: admins manage every budget; members see the ones that apply to them. The server
 * decides what each may read (`GET /admin/budgets` is admin only, `GET /admin/me/budgets` is the
 * caller's own).
 */
import { useSession } from '../../app/session.js';
import { AdminBudgets } from './AdminBudgets.js';
import { MyBudgets } from './MyBudgets.js';

export default function BudgetsPage() {
  const { isAdmin } = useSession();
  return isAdmin ? <AdminBudgets /> : <MyBudgets />;
}
