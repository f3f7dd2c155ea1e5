import type { User } from '../models.js';
import type { NewUser, UsersRepository } from '../repositories/users.js';

export interface UsersService {
  create(user: NewUser): number;
  findByLogin(login: string): User | undefined;
}

export function createUsersService(users: UsersRepository): UsersService {
  return {
    create: (user) => users.insert(user),
    findByLogin: (login) => users.findByLogin(login),
  };
}
