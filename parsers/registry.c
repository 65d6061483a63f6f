/* registry.c: the list of input formats. Adding a format means one entry
 * here; nothing else in edgelog switches on the format. */
#include <string.h>

#include "parsers.h"

static const struct el_parser_ops *const registry[] = {
    &el_parser_alb,
    &el_parser_apigw_access,
    &el_parser_apigw_exec,
};

/* Below this a sniff result is a guess we would rather not act on. */
#define SNIFF_MIN_CONFIDENCE 30

const char *el_src_name(enum el_src s)
{
    switch (s) {
    case EL_SRC_ALB: return "alb";
    case EL_SRC_APIGW_REST: return "apigw-rest";
    case EL_SRC_APIGW_HTTP: return "apigw-http";
    default: return "unknown";
    }
}

const char *el_route_from_name(enum el_route_from f)
{
    switch (f) {
    case EL_ROUTE_AUTO: return "auto";
    case EL_ROUTE_API: return "api";
    case EL_ROUTE_RULES: return "rules";
    default: return "";
    }
}

const char *el_feature_name(enum el_rec_feature f)
{
    switch (f) {
    case EL_FEAT_API_KEY: return "api_key";
    case EL_FEAT_USAGE_PLAN: return "usage_plan";
    case EL_FEAT_AUTHORIZER: return "authorizer";
    case EL_FEAT_THROTTLED: return "throttled";
    case EL_FEAT_VALIDATION: return "validation";
    case EL_FEAT_MAPPING: return "mapping";
    case EL_FEAT_CACHE: return "cache";
    default: return "";
    }
}

const struct el_parser_ops *const *el_parsers_all(size_t *n)
{
    *n = EL_ARRAY_LEN(registry);
    return registry;
}

const struct el_parser_ops *el_parser_find(const char *name)
{
    for (size_t i = 0; i < EL_ARRAY_LEN(registry); i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const struct el_parser_ops *el_parser_sniff(const struct el_str *lines, size_t n)
{
    const struct el_parser_ops *best = NULL;
    int best_score = SNIFF_MIN_CONFIDENCE - 1;

    for (size_t i = 0; i < EL_ARRAY_LEN(registry); i++) {
        int s = registry[i]->sniff(lines, n);
        if (s > best_score) {
            best = registry[i];
            best_score = s;
        }
    }
    return best;
}
