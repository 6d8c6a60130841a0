package dev.snakebridge.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.snakebridge.CallOptions;
import dev.snakebridge.Kwargs;
import dev.snakebridge.PyContext;
import dev.snakebridge.PyRef;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.py.Networkx;
import dev.snakebridge.py.Numpy;
import dev.snakebridge.py.Pandas;
import dev.snakebridge.py.Sympy;
import dev.snakebridge.py.Torch;
import dev.snakebridge.py.networkx.Graph;
import dev.snakebridge.py.numpy.Linalg;
import dev.snakebridge.py.numpy.Ndarray;
import dev.snakebridge.py.pandas.DataFrame;
import dev.snakebridge.py.scipy.Special;
import dev.snakebridge.py.sklearn.linear_model.LinearRegression;
import dev.snakebridge.py.torch.NoGrad;
import dev.snakebridge.py.torch.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Calls generated wrappers of real libraries, next to universal calls on the same refs. */
class GeneratedWrappersIT {
  @AfterAll
  static void stop() {
    SnakeBridge.shutdown();
  }

  @Test
  void numpyLinalgDet() {
    Ndarray m = Numpy.array(List.of(List.of(1, 2), List.of(3, 4)));    // numpy documents "out : ndarray"
    assertThat((Double) Linalg.det(m)).isCloseTo(-2.0, within(1e-9));  // documented as array_like: Object
    assertThat(m.size()).isEqualTo(2);
    assertThat(m.sum()).isEqualTo(10L);
    assertThat(Numpy.sum(m, new Numpy.SumOptions().axis(0L))).isInstanceOf(PyRef.class);
    // both styles on one ref
    assertThat(SnakeBridge.call("numpy", "trace", m.ref())).isEqualTo(5L);
    List<Object> rows = new ArrayList<>();
    m.forEach(rows::add);
    assertThat(rows).hasSize(2);
    assertThat(Numpy.pi()).isCloseTo(Math.PI, within(1e-12));
  }

  @Test
  void pandasDataFrameBuiltAndSummed() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("a", List.of(1, 2, 3));
    data.put("b", List.of(10, 20, 30));
    DataFrame df = DataFrame.create(data);
    assertThat(df.size()).isEqualTo(3);
    DataFrame top = df.head(2);                                         // "same type as caller"
    assertThat(top.size()).isEqualTo(2);
    PyRef sums = (PyRef) df.sum();
    assertThat(sums.call("to_dict")).isEqualTo(Map.of("a", 6L, "b", 60L));
    assertThat(df.get("b").toString()).contains("pandas");
    Object wide = Pandas.concat(List.of(df, df));
    assertThat(((PyRef) wide).len()).isEqualTo(6);
  }

  @Test
  void networkxShortestPath() {
    Graph g = Graph.create();
    g.addEdge("a", "b");
    g.addEdge("b", "c");
    g.addEdge("c", "d");
    g.addEdge("a", "x");
    g.addEdge("x", "d");
    assertThat(Networkx.shortestPath(g, "a", "d")).isEqualTo(List.of("a", "x", "d"));
    assertThat(Networkx.shortestPath(g, new Networkx.ShortestPathOptions().source("b").target("d")))
        .isEqualTo(List.of("b", "c", "d"));
    assertThat(g.numberOfNodes()).isEqualTo(5L);
  }

  @Test
  void sklearnFitPredict() {
    LinearRegression model = LinearRegression.create();
    model.fit(List.of(List.of(0.0), List.of(1.0), List.of(2.0)), List.of(1.0, 3.0, 5.0));
    Ndarray predicted = Ndarray.wrap(model.predict(List.of(List.of(3.0), List.of(10.0))));
    @SuppressWarnings("unchecked")
    List<Double> values = (List<Double>) predicted.tolist();
    assertThat(values.get(0)).isCloseTo(7.0, within(1e-9));
    assertThat(values.get(1)).isCloseTo(21.0, within(1e-9));
  }

  @Test
  void torchTensorOps() {
    Tensor t = Torch.tensor(List.of(1.0, 2.0, 3.0));                   // "tensor(data, ...) -> Tensor"
    Tensor doubled = t.mul(2);
    assertThat(Torch.sum(doubled).item()).isEqualTo(12.0);
    assertThat(doubled.tolist()).isEqualTo(List.of(2.0, 4.0, 6.0));
    assertThat(Torch.isTensor(t)).isEqualTo(true);
  }

  @Test
  void torchNoGradAsAContextManager() {
    Tensor w = Torch.tensor(List.of(1.0, 2.0), new Torch.TensorOptions().requiresGrad(true));
    try (PyContext ctx = NoGrad.create().enter()) {                     // Python: with torch.no_grad():
      assertThat(w.mul(2).requiresGrad()).isEqualTo(false);
      ctx.complete();
    }
    assertThat(w.mul(2).requiresGrad()).isEqualTo(true);
  }

  @Test
  void wrappersOnARuntimeTheProgramCreated() {
    try (SnakeBridgeRuntime runtime = SnakeBridgeRuntime.create(SnakeBridgeConfig.builder().poolSize(1).build())) {
      Numpy.View numpy = Numpy.using(runtime).using(CallOptions.defaults().timeout(Duration.ofSeconds(60)));
      Ndarray m = numpy.array(List.of(1, 2, 3));
      assertThat(m.sum()).isEqualTo(6L);                                // the ref's own runtime
      Graph g = Graph.using(runtime).create();
      g.addEdge("a", "b");
      assertThat(Networkx.using(runtime).shortestPath(g, "a", "b")).isEqualTo(List.of("a", "b"));
    }
  }

  @Test
  void scipyAndSympy() {
    assertThat(Special.comb(5, 2)).isEqualTo(10.0);
    Object expr = Sympy.sympify("(x + 1)**2");
    assertThat(Sympy.expand(expr).toString()).contains("x**2 + 2*x + 1");
    assertThat(SnakeBridge.call("builtins", "str", Sympy.expand(expr), Kwargs.none())).isEqualTo("x**2 + 2*x + 1");
  }
}
