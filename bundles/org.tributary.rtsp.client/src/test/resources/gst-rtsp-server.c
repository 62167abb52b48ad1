/*
 * A real RTSP server for the tests of the RTSP client and of the modules built on it: GStreamer's
 * gst-rtsp-server serving one launch line.
 * Declares the few functions it calls instead of including headers, so it builds with only the runtime
 * libraries installed (Debian: libgstrtspserver-1.0-0, no -dev packages).
 *
 * usage: gst-rtsp-server PORT MOUNT LAUNCH [basic|digest USER PASSWORD] [tcp-only]
 * Prints "ready <port>" once listening (PORT 0 picks a free one).
 */
#include <stdio.h>
#include <string.h>

typedef void *gp;
typedef unsigned long GType;
#define G_TYPE_BOOLEAN ((GType) (5 << 2))
#define G_TYPE_STRING ((GType) (16 << 2))
#define AUTH_BASIC 1
#define AUTH_DIGEST 2
#define LOWER_TRANS_TCP 4

extern void gst_init(int *, char ***);
extern gp gst_rtsp_server_new(void);
extern void gst_rtsp_server_set_service(gp, const char *);
extern gp gst_rtsp_server_get_mount_points(gp);
extern unsigned int gst_rtsp_server_attach(gp, gp);
extern int gst_rtsp_server_get_bound_port(gp);
extern void gst_rtsp_server_set_auth(gp, gp);
extern gp gst_rtsp_media_factory_new(void);
extern void gst_rtsp_media_factory_set_launch(gp, const char *);
extern void gst_rtsp_media_factory_set_protocols(gp, int);
extern void gst_rtsp_media_factory_add_role(gp, const char *, const char *, ...);
extern void gst_rtsp_mount_points_add_factory(gp, const char *, gp);
extern gp gst_rtsp_auth_new(void);
extern char *gst_rtsp_auth_make_basic(const char *, const char *);
extern void gst_rtsp_auth_add_basic(gp, const char *, gp);
extern void gst_rtsp_auth_add_digest(gp, const char *, const char *, gp);
extern void gst_rtsp_auth_set_supported_methods(gp, int);
extern gp gst_rtsp_token_new(const char *, ...);
extern gp g_main_loop_new(gp, int);
extern void g_main_loop_run(gp);
extern void g_object_unref(gp);

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s PORT MOUNT LAUNCH [basic|digest USER PASSWORD] [tcp-only]\n", argv[0]);
        return 2;
    }
    gst_init(&argc, &argv);
    gp server = gst_rtsp_server_new();
    gst_rtsp_server_set_service(server, argv[1]);
    gp mounts = gst_rtsp_server_get_mount_points(server);
    gp factory = gst_rtsp_media_factory_new();
    gst_rtsp_media_factory_set_launch(factory, argv[3]);
    int arg = 4;
    if (argc >= arg + 3 && (strcmp(argv[arg], "basic") == 0 || strcmp(argv[arg], "digest") == 0)) {
        gp auth = gst_rtsp_auth_new();
        gp token = gst_rtsp_token_new("media.factory.role", G_TYPE_STRING, "user", NULL);
        if (strcmp(argv[arg], "basic") == 0) {
            gst_rtsp_auth_set_supported_methods(auth, AUTH_BASIC);
            gst_rtsp_auth_add_basic(auth, gst_rtsp_auth_make_basic(argv[arg + 1], argv[arg + 2]), token);
        } else {
            gst_rtsp_auth_set_supported_methods(auth, AUTH_DIGEST);
            gst_rtsp_auth_add_digest(auth, argv[arg + 1], argv[arg + 2], token);
        }
        gst_rtsp_server_set_auth(server, auth);
        gst_rtsp_media_factory_add_role(factory, "user", "media.factory.access", G_TYPE_BOOLEAN, 1,
                "media.factory.construct", G_TYPE_BOOLEAN, 1, NULL);
        arg += 3;
    }
    if (argc > arg && strcmp(argv[arg], "tcp-only") == 0) {
        gst_rtsp_media_factory_set_protocols(factory, LOWER_TRANS_TCP);
    }
    gst_rtsp_mount_points_add_factory(mounts, argv[2], factory);
    g_object_unref(mounts);
    if (gst_rtsp_server_attach(server, NULL) == 0) {
        fprintf(stderr, "cannot listen on port %s\n", argv[1]);
        return 1;
    }
    printf("ready %d\n", gst_rtsp_server_get_bound_port(server));
    fflush(stdout);
    g_main_loop_run(g_main_loop_new(NULL, 0));
    return 0;
}
