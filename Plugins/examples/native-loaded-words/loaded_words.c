/*
 * An example native Scholia module in C: marks loaded, sensational words ("slammed", "shocking",
 * "فضيحة") as `loaded`. It implements scholia_module.h and uses jansson to read the request and
 * write the answer; offsets are UTF-8 byte offsets, the ABI's unit.
 *
 * Built by the package as the dynamic library product `scholia-example-native`; on its own:
 *   cc -shared -fPIC -I../../../Sources/ScholiaModuleABI/include loaded_words.c -ljansson -o libloaded_words.so
 */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "scholia_module.h"

static const char *const english[] = {"slammed", "shocking", "outrageous", "disaster", "scandal", "stunning", NULL};
static const char *const arabic[] = {"فضيحة", "كارثة", "صادم", "مروع", NULL};

static const char description[] =
    "{\"name\": \"native-loaded-words\", \"version\": \"1.0.0\","
    " \"description\": \"Loaded and sensational words (example native module in C)\","
    " \"kinds\": [{\"kind\": \"loaded\", \"severity\": \"warning\", \"tokenType\": \"loaded\"}],"
    " \"languages\": [\"en\", \"ar\"]}";

static const char *describe(void) { return description; }

/* A word character: an ASCII letter or digit, or any byte of a non-ASCII character (Arabic letters). */
static int is_word_byte(unsigned char c) { return isalnum(c) || c >= 0x80; }

static void mark(json_t *annotations, const char *text, size_t length, const char *word, int fold_case) {
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= length; i++) {
        int same = fold_case ? strncasecmp(text + i, word, n) == 0 : memcmp(text + i, word, n) == 0;
        if (!same) continue;
        if (i > 0 && is_word_byte((unsigned char)text[i - 1])) continue;
        if (i + n < length && is_word_byte((unsigned char)text[i + n])) continue;
        json_t *annotation = json_pack("{s:s, s:I, s:I, s:{s:s}}", "kind", "loaded", "start", (json_int_t)i,
                                       "end", (json_int_t)(i + n), "attributes", "word", word);
        json_array_append_new(annotations, annotation);
        i += n - 1;
    }
}

static char *annotate(const char *request_json) {
    json_error_t error;
    json_t *request = json_loads(request_json, 0, &error);
    json_t *answer;
    const char *text = request ? json_string_value(json_object_get(request, "text")) : NULL;
    if (!text) {
        answer = json_pack("{s:s}", "error", "the request has no text");
    } else {
        size_t length = json_string_length(json_object_get(request, "text"));
        json_t *annotations = json_array();
        for (const char *const *w = english; *w; w++) mark(annotations, text, length, *w, 1);
        for (const char *const *w = arabic; *w; w++) mark(annotations, text, length, *w, 0);
        answer = json_pack("{s:o}", "annotations", annotations);
    }
    char *result = json_dumps(answer, JSON_COMPACT);
    json_decref(answer);
    json_decref(request);
    return result;
}

/* json_dumps allocates with malloc (jansson's default allocator), so free is its pair. */
static void free_result(char *result) { free(result); }

static const scholia_module_v1 table = {
    .abi_version = SCHOLIA_MODULE_ABI_VERSION,
    .describe = describe,
    .annotate = annotate,
    .free_result = free_result,
};

const scholia_module_v1 *scholia_module_entry(void) { return &table; }
