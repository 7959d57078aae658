/** The SQL dialects the store supports; differences between them stay in store/. */
export type Dialect = 'sqlite' | 'postgres';
