/* The post a URL names, as archiver/_urls.c hands it to another compiled module.
 *
 * archiver/_urls.c puts its parse_post_fields in a capsule, POST_FIELDS_CAPSULE: the fields
 * urls.parse_post_url's PostRef would hold, without making the PostRef (_widget.c reads two to
 * four URLs a widget and keeps only the fields). A module calls it only where the name it calls
 * the rule by is bound to _urls.c's own parse_post_url (docs/development.md, "The compiled
 * twins": a test or a user may bind another).
 */
#ifndef ARCHIVER_POST_FIELDS_H
#define ARCHIVER_POST_FIELDS_H

#include <Python.h>

#define POST_FIELDS_CAPSULE "archiver._urls.parse_post_fields"

/* A PostRef's fields, new references; platform NULL for no post (None) */
typedef struct {
    PyObject *platform;
    PyObject *post_id;
    PyObject *handle; /* None when it names none */
} PostFields;

/* parse_post_fields(url, &fields): 0 with fields filled as urls.parse_post_url(url) would
 * (platform NULL for None), or -1 with an exception set and fields all NULL. url is a str. */
typedef int (*ParsePostFields)(PyObject *url, PostFields *fields);

#endif
