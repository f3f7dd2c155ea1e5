import { Strategy as LocalStrategy } from 'passport-local';
import type { UsersService } from '../services/users.js';

/** Email and password for the admin; the users service gives one answer for an unknown email and a wrong password. */
export const localStrategy = (users: UsersService) =>
  new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) =>
    users.authenticate(email, password).then((user) => done(null, user ?? false), done));
