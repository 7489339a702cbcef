/** Usernames are unique across all users, compared case-insensitively. */
export const toUsernameKey = (username: string): string => username.toLowerCase();

export const USERNAME_SCOPE = 'username';
