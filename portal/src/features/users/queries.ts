export const USERS_QUERY = ['admin', 'users'] as const;
