package dev.nnlab.host;

import dev.nnlab.spi.PluginApi;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The class loader of one plugin JAR (Trino's PluginClassLoader is the model). Its parent is the
 * platform loader, so nothing of the host's class path leaks in; only the API packages
 * ({@link PluginApi#PACKAGES}) are delegated to the host, so that the host and the plugin agree
 * on {@code ModelFamily}, {@code Tensor} and friends. Everything else, including resources such as
 * {@code META-INF/services}, comes from the JAR itself.
 */
final class PluginClassLoader extends URLClassLoader {
    private final ClassLoader apiLoader;

    PluginClassLoader(String name, URL jar, ClassLoader apiLoader) {
        super(name, new URL[] {jar}, ClassLoader.getPlatformClassLoader());
        this.apiLoader = apiLoader;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isApiClass(name)) return apiLoader.loadClass(name);
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException notInJar) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        // Only the JAR's own resources: ServiceLoader must see this plugin's services file alone.
        Enumeration<URL> own = findResources(name);
        return own.hasMoreElements() ? own : Collections.emptyEnumeration();
    }

    static boolean isApiClass(String className) {
        int dot = className.lastIndexOf('.');
        String pkg = dot < 0 ? "" : className.substring(0, dot);
        for (String api : PluginApi.PACKAGES) {
            if (pkg.equals(api) || pkg.startsWith(api + ".")) return true;
        }
        return false;
    }
}
