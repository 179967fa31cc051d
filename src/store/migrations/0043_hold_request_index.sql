-- A request's holds are looked up by request: on the request page, when a
-- hold is renewed or released, and in the report's preservation figures,
-- which summed each request's renewals by scanning every hold (seconds at
-- 30,000 requests; bench/bench_report).
CREATE INDEX hold_request ON hold(request_id);
