package fixtureuse;

import dev.snakebridge.PyContext;
import dev.snakebridge.PyRef;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.py.sbfixture.Core;
import dev.snakebridge.py.sbfixture.Counter;
import dev.snakebridge.py.sbfixture.Plain;
import dev.snakebridge.py.sbfixture.Stubbed;
import dev.snakebridge.py.sbfixture.plain.Square;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Compiled by FixtureIT against the generated wrappers; returns what the calls gave, for the test to check. */
public class FixtureUse implements Supplier<String> {
  @Override
  public String get() {
    List<Object> out = new ArrayList<>();
    out.add(Core.add(1));                                                  // 3
    out.add(Core.add(1, 5));                                               // 6
    out.add(Core.greet("Ann", new Core.GreetOptions().greeting("Hi")));    // Hi, Ann!
    out.add(Core.scale(List.of(1, 2), 3.0, "extra"));                      // [3.0, 6.0, extra]
    out.add(Core.PI());
    out.add(Stubbed.typed(2));                                             // xx
    out.add(Plain.mean(List.of(1, 2, 3)));                                 // 2.0
    Counter c = Counter.create(new Counter.CreateOptions().items(List.of(1, 2, 3)).start(10));
    out.add(c.total());                                                    // 16
    out.add(c.size());                                                     // 3 (protocol __len__)
    out.add(c.get(0));                                                     // 1
    c.set(0, 5);
    out.add(c.contains(5));                                                // true
    List<Object> items = new ArrayList<>();
    c.forEach(items::add);
    out.add(items);                                                        // [5, 2, 3]
    out.add(c.call(100));                                                  // 103
    c.label("named");
    out.add(c.label());                                                    // named
    out.add(c.size_());                                                    // 3 (the Python property "size")
    out.add(c.baseMethod());                                               // base
    out.add(c.class_());                                                   // class
    Counter closing = Counter.of(7, 8);                                    // typed: documented "Counter"
    try (PyContext ctx = closing.enter()) {                                // __enter__
      out.add(Counter.wrap(ctx.value()).size());                           // 2
      ctx.complete();
    }                                                                      // __exit__(None, None, None)
    out.add(closing.exitState());                                          // null: the block completed
    out.add(Counter.empty().size());                                       // 0 (annotated -> "Counter")
    Square sq = Square.create(4);
    out.add(sq.area());                                                    // 16
    out.add(sq.default_());                                                // default
    out.add(SnakeBridge.call("builtins", "len", c.ref()));                 // 3: the universal API on the same ref
    out.add(Counter.wrap((PyRef) SnakeBridge.call("sbfixture.core", "Counter", List.of(9))).total());  // 9
    out.add(c.copy().total());                                             // 20: "same type as caller"
    List<Object> counted = new ArrayList<>();
    out.add(Core.countdownStream(3, counted::add));                        // 3 items pushed
    out.add(counted);                                                      // [3, 2, 1]
    return out.toString();
  }
}
