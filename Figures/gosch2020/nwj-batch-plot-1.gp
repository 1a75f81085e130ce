# nwj-batch-plot-1.gp: a figure, drawn by MIPlot; its data is nwj-batch-plot-1.dat, beside this file.
# Redraw it from this directory:
#   gnuplot nwj-batch-plot-1.gp                       writes nwj-batch-plot-1.svg
#   gnuplot -e 'format="png"' nwj-batch-plot-1.gp     writes nwj-batch-plot-1.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' nwj-batch-plot-1.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' nwj-batch-plot-1.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'nwj-batch-plot-1.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 640,480 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 640,480 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 6.4in,4.8in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'nwj-batch-plot-1.dat'

# Panel 1 (row 1, column 1): (b) NWJ at 30 nats for three batch sizes
reset
set title '(b) NWJ at 30 nats for three batch sizes'
set xlabel 'training step'
set ylabel 'MI estimate (nats)'
set yrange [-5:35]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 0 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 1 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 2 using 1:2 with lines lc rgb '#9EDACA' lw 1 notitle, \
    data index 3 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'K = 16', \
    data index 4 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'K = 64', \
    data index 5 using 1:2 with lines lc rgb '#009E73' lw 2 title 'K = 256', \
    2.772588722239781 with lines lc rgb '#7F7F7F' lw 2 dt 2 title 'log N = 2.773', \
    4.1588830833596715 with lines lc rgb '#7F7F7F' lw 2 dt 2 title 'log N = 4.159', \
    5.545177444479562 with lines lc rgb '#7F7F7F' lw 2 dt 2 title 'log N = 5.545'

unset output
