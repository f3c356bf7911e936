/**
 * Which driver errors mean "the database is unavailable" (503, retry) and which stay what they
 * are (store/postgres/pg-fleet-outage.ts): an outage must not be answered 500, and a real SQL
 * error must not be retried as if the database were down.
 */
import { describe, expect, it } from "vitest";
import { StepwiseError } from "@stepwise/protocol";
import { asOutage } from "../src/store/postgres/pg-fleet-outage.js";

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe("database outage errors", () => {
  it.each([
    ["a refused connection", withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED")],
    ["a reset connection", withCode("read ECONNRESET", "ECONNRESET")],
    ["a connection cut mid-query", new Error("Connection terminated unexpectedly")],
    ["a connect timeout", new Error("Connection terminated due to connection timeout")],
    ["an administrator shutdown", withCode("terminating connection due to administrator command", "57P01")],
    ["a server starting up", withCode("the database system is starting up", "57P03")],
    ["too many connections", withCode("sorry, too many clients already", "53300")],
    ["a connection exception class", withCode("connection failure", "08006")],
    [
      "every address refused",
      new AggregateError([withCode("connect ECONNREFUSED ::1:5432", "ECONNREFUSED")]),
    ],
  ])("answers %s as UNAVAILABLE, keeping the driver's error", (_, error) => {
    const outage = asOutage(error);
    expect(outage).toBeInstanceOf(StepwiseError);
    expect((outage as StepwiseError).code).toBe("UNAVAILABLE");
    expect(outage.cause).toBe(error);
  });

  it.each([
    ["a unique violation", withCode("duplicate key value violates unique constraint", "23505")],
    ["a serialization failure (retried by the transaction)", withCode("could not serialize access", "40001")],
    ["a syntax error", withCode('syntax error at or near "SELEC"', "42601")],
    ["an error without a code", new Error("something else")],
  ])("leaves %s as it is", (_, error) => {
    expect(asOutage(error)).toBe(error);
  });
});
