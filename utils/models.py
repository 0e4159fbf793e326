"""Model-building functions shared by several notebooks (LeNet, MiniVGG, ...).

Each notebook that introduces an architecture shows its function's source
(``inspect.getsource``) so the lesson stays visible; later notebooks reuse it from here, as
seed 004's exercise asks ("write MiniVGG as a new function beside LeNet").
"""

from __future__ import annotations
