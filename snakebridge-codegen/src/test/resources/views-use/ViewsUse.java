package viewsuse;

import dev.snakebridge.CallOptions;
import dev.snakebridge.CallTimeoutException;
import dev.snakebridge.PyContext;
import dev.snakebridge.ResultTypeException;
import dev.snakebridge.Session;
import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.py.sbfixture.Core;
import dev.snakebridge.py.sbfixture.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Compiled by WrapperViewsIT against the generated wrappers: every call goes to a runtime the program
 * created (the default runtime has no path to the fixture library, so a call that leaked there would fail).
 */
public class ViewsUse implements Function<SnakeBridgeRuntime, String> {
  @Override
  public String apply(SnakeBridgeRuntime runtime) {
    List<Object> out = new ArrayList<>();
    Core.View core = Core.using(runtime);
    out.add(core.add(1));                                                  // 3
    out.add(core.PI());                                                    // 3.14159
    try (Session s = runtime.session("views-it")) {
      out.add(Core.using(s).greet("Bo"));                                  // Hello, Bo!
    }
    Counter c = Counter.using(runtime).create(List.of(1, 2, 3));           // a ref of `runtime`
    out.add(c.get(0));                                                     // 1: __getitem__ in the ref's runtime
    out.add(c.contains(2));                                                // true
    List<Object> items = new ArrayList<>();
    c.forEach(items::add);                                                 // __iter__ in the ref's runtime
    out.add(items);                                                        // [1, 2, 3]
    try (PyContext ctx = c.enter()) {
      ctx.complete();
    }
    out.add(c.exitState());                                                // null
    try (PyContext ctx = c.enter()) {
      out.add(Counter.wrap(ctx.value()).size());                           // 3; block ends without complete()
    }
    out.add(c.exitState());                                                // JavaException
    try {
      c.first();                                                           // documented Counter, returns an int
      out.add("no exception");
    } catch (ResultTypeException e) {
      out.add(e.expectedType() + "/" + e.actualType());                    // sbfixture.core.Counter/int
    }
    try {
      core.using(CallOptions.defaults().timeout(Duration.ofMillis(300))).nap(30);
      out.add("no timeout");
    } catch (CallTimeoutException e) {
      out.add("timeout " + e.timeout().toMillis());                        // timeout 300
    }
    out.add(core.using(CallOptions.defaults().timeout(Duration.ofSeconds(30))).nap(0));  // 0
    return out.toString();
  }
}
