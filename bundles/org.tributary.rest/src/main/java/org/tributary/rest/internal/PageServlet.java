package org.tributary.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The web page: plain HTML, CSS and JavaScript from the bundle's {@code web/} folder, as written (no build
 * step). Answers every path no other servlet has, so an unknown path gets a 404 problem here.
 */
final class PageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Exchange x = new Exchange(request, response);
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String file = path.equals("/") || path.isEmpty() ? "index.html" : path.substring(1);
        String extension = file.substring(file.lastIndexOf('.') + 1);
        // Only plain names of the folder: no way up or sideways out of it.
        if (!file.matches("[A-Za-z0-9_-]+\\.[a-z]+") || !TYPES.containsKey(extension)) {
            x.problem(Problem.notFound("nothing at " + request.getRequestURI() + "; the page is at /, the API at "
                    + "/api (see /api/openapi.json)"));
            return;
        }
        if (!x.method.equals("GET") && !x.method.equals("HEAD")) {
            x.problem(Problem.methodNotAllowed(x.method, "GET"));
            return;
        }
        try (InputStream in = PageServlet.class.getResourceAsStream("/web/" + file)) {
            if (in == null) {
                x.problem(Problem.notFound("nothing at " + request.getRequestURI()));
                return;
            }
            response.setHeader("Cache-Control", "no-cache");
            x.send(200, TYPES.get(extension), in.readAllBytes());
        }
    }
}
