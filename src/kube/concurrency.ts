/**
 * How many apiserver requests diff and apply keep in flight within a stage, unless the
 * `concurrency` input says otherwise. Its own module so that config/ can read it without
 * loading the Kubernetes client.
 *
 * Why 32: a first apply sends two requests per new object (the dry run, then the write), so
 * at a distance it is bound by round trips per request in flight. Little's law puts the
 * requests needed to keep an apiserver busy at its throughput times the round trip: with
 * about 2.5 ms of apiserver and etcd CPU per server-side apply (bench/cluster, 2 cores),
 * that is about 16 in flight at 20 ms and more at 80 ms, and more for an apiserver with
 * more cores. Where the apiserver's CPU is the limit (loopback), more in flight only queue
 * there: bench/cluster measured 32 no slower than 8. Above 32 a single run would hold most
 * of the about 49 seats that API Priority and Fairness gives the `global-default` level of a
 * default apiserver, at other clients' expense, for little gain below 80 ms.
 */
export const DEFAULT_CONCURRENCY = 32;
