import { Request, Response } from "express";
import { Pool } from "pg";

const pool = new Pool();

export class UserRepository {
  // ruleid: javascript.hardcoded-credentials.secret-literal-class-field
  private readonly adminPassword: string = "Adm1n!Pass2023";
  // ok: javascript.hardcoded-credentials.secret-literal-class-field
  private readonly passwordLabel: string = "Password";

  async findByName(req: Request, res: Response): Promise<void> {
    const name = req.query.name as string;
    // ruleid: javascript.sql-injection.string-built-query, javascript.sql-injection.tainted-query
    const result = await pool.query(`SELECT * FROM users WHERE name = '${name}'`);
    const sql: string = "DELETE FROM sessions WHERE user_id = " + (req.params.id as string);
    // ruleid: javascript.sql-injection.tainted-query
    await pool.query(sql);
    // ok: javascript.sql-injection.string-built-query, javascript.sql-injection.tainted-query
    const safe = await pool.query<{ id: number }>("SELECT id FROM users WHERE name = $1", [name]);
    res.json({ rows: result.rows, safe: safe.rows });
  }
}

export async function download(req: Request, res: Response): Promise<void> {
  const file = req.params.file as string;
  // ruleid: javascript.path-traversal.tainted-path
  const data = await fs.promises.readFile(path.join(STORAGE_ROOT, file));
  // ruleid: javascript.open-redirect.request-data-in-redirect, javascript.open-redirect.tainted-redirect
  res.redirect(req.query.next as string);
  // ok: javascript.open-redirect.request-data-in-redirect
  res.redirect(`/files/${encodeURIComponent(file)}`);
  res.send(data);
}

export function searchProducts() {
  return async ({ query }: Request, res: Response): Promise<void> => {
    const criteria: string = (query.q as string) ?? "";
    const sql = `SELECT * FROM Products WHERE name LIKE '%${criteria}%' AND deletedAt IS NULL`;
    // ruleid: javascript.sql-injection.tainted-query
    const [products] = await pool.query(sql);
    const limit: number = Number(query.limit);
    const paged = "SELECT * FROM Products LIMIT " + limit;
    // ok: javascript.sql-injection.tainted-query
    const [page] = await pool.query(paged);
    res.json({ products, page });
  };
}

export async function updateAddress(req: Request, res: Response): Promise<void> {
  const { body } = req;
  const update = "UPDATE Addresses SET city = '" + body.city + "' WHERE id = " + req.params.id;
  // ruleid: javascript.sql-injection.tainted-query
  await pool.query(update);
  // ok: javascript.sql-injection.tainted-query
  await pool.query("UPDATE Addresses SET city = $1 WHERE id = $2", [body.city, req.params.id]);
  res.sendStatus(204);
}

@Controller("invoices")
export class InvoiceController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async list(@Query("customer") customer: string, @Query("limit") limit: string) {
    const where = `WHERE customer = '${customer}'`;
    // ruleid: javascript.sql-injection.tainted-query, javascript.sql-injection.string-built-query
    const rows = await this.dataSource.query("SELECT * FROM invoices " + where);
    const capped = Math.min(parseInt(limit, 10), 100);
    const top = "SELECT * FROM invoices ORDER BY total DESC LIMIT " + capped;
    // ok: javascript.sql-injection.tainted-query
    const best = await this.dataSource.query(top);
    // ok: javascript.sql-injection.tainted-query
    const mine = await this.dataSource.query("SELECT * FROM invoices WHERE customer = $1", [customer]);
    return { rows, best, mine };
  }
}
